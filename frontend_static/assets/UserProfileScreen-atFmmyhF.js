import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{a as t,i as n,n as r}from"./format-BZ9-UPcI.js";import{$ as i,A as a,B as o,C as s,Ct as c,F as l,I as u,J as d,Q as f,T as p,U as m,V as h,X as g,Y as _,Z as v,_ as y,a as b,b as x,bt as S,c as C,d as w,dt as T,i as E,it as D,l as ee,n as O,o as k,ot as te,r as ne,t as A,tt as j,ut as re,vt as M,w as ie,x as N,y as P}from"./app-k7HIwDFa.js";import{t as F}from"./Code-Wp5zhhcu.js";import{t as I}from"./Grid-9eSw-Anj.js";import{D as ae,T as oe}from"./preload-helper-CHNGSWiG.js";import{t as se}from"./get-auto-contrast-value-BTPwFOS2.js";import{t as L}from"./Table-DR4KEKBu.js";import{t as R}from"./StatusBadge-Dy5bkK2O.js";import{t as ce}from"./NumberInput-D-HzVze1.js";import{t as le,u as z}from"./Select-2vISwdHg.js";function ue(e,t){return n=>{if(typeof n!=`string`||n.trim().length===0)throw Error(t);return`${e}-${n}`}}function B(e,t){let n=e;for(;(n=n.parentElement)&&!n.matches(t););return n}function de(e,t,n){for(let n=e-1;n>=0;--n)if(!t[n].disabled)return n;if(n){for(let e=t.length-1;e>-1;--e)if(!t[e].disabled)return e}return e}function fe(e,t,n){for(let n=e+1;n<t.length;n+=1)if(!t[n].disabled)return n;if(n){for(let e=0;e<t.length;e+=1)if(!t[e].disabled)return e}return e}function pe(e,t,n){return B(e,n)===B(t,n)}function me({parentSelector:e,siblingSelector:t,onKeyDown:n,loop:r=!0,activateOnFocus:i=!1,dir:a=`rtl`,orientation:o}){return s=>{n?.(s);let c=Array.from(B(s.currentTarget,e)?.querySelectorAll(t)||[]).filter(t=>pe(s.currentTarget,t,e)),l=c.findIndex(e=>s.currentTarget===e),u=fe(l,c,r),d=de(l,c,r),f=a===`rtl`?d:u,p=a===`rtl`?u:d;switch(s.key){case`ArrowRight`:o===`horizontal`&&(s.stopPropagation(),s.preventDefault(),c[f].focus(),i&&c[f].click());break;case`ArrowLeft`:o===`horizontal`&&(s.stopPropagation(),s.preventDefault(),c[p].focus(),i&&c[p].click());break;case`ArrowUp`:o===`vertical`&&(s.stopPropagation(),s.preventDefault(),c[d].focus(),i&&c[d].click());break;case`ArrowDown`:o===`vertical`&&(s.stopPropagation(),s.preventDefault(),c[u].focus(),i&&c[u].click());break;case`Home`:s.stopPropagation(),s.preventDefault(),c[fe(-1,c,!1)]?.focus();break;case`End`:s.stopPropagation(),s.preventDefault(),c[de(c.length,c,!1)]?.focus()}}}var[he,ge]=c(`Progress.Root component was not found in tree`),V={root:`m_db6d6462`,section:`m_2242eb65`,"stripes-animation":`m_81a374bd`,"stripes-animation-vertical":`m_e0fb7a86`,label:`m_91e40b74`},H=oe(),U=m(e=>{let{classNames:t,className:n,style:r,styles:i,vars:a,...o}=g(`ProgressLabel`,null,e),s=ge();return(0,H.jsx)(h,{...s.getStyles(`label`,{className:n,style:r,classNames:t,styles:i}),...o})});U.classes=V,U.displayName=`@mantine/core/ProgressLabel`;var _e=D((e,{size:t,radius:n,transitionDuration:r})=>({root:{"--progress-size":S(t,`progress-size`),"--progress-radius":n===void 0?void 0:M(n),"--progress-transition-duration":typeof r==`number`?`${r}ms`:void 0}})),W=m(e=>{let t=g(`ProgressRoot`,null,e),{classNames:n,className:r,style:i,styles:a,unstyled:o,vars:s,autoContrast:c,transitionDuration:l,orientation:u,attributes:f,mod:p,...m}=t,_=d({name:`Progress`,classes:V,props:t,className:r,style:i,classNames:n,styles:a,unstyled:o,attributes:f,vars:s,varsResolver:_e});return(0,H.jsx)(he,{value:{getStyles:_,autoContrast:c},children:(0,H.jsx)(h,{mod:[{orientation:u},p],..._(`root`),...m})})});W.classes=V,W.varsResolver=_e,W.displayName=`@mantine/core/ProgressRoot`;var ve={withAria:!0},G=m(e=>{let{classNames:t,className:n,style:r,styles:a,vars:o,value:s,withAria:c,color:l,striped:u,animated:d,mod:f,...p}=g(`ProgressSection`,ve,e),m=ge(),_=v(),y=c?{role:`progressbar`,"aria-valuemax":100,"aria-valuemin":0,"aria-valuenow":s,"aria-valuetext":`${s}%`}:{};return(0,H.jsx)(h,{...m.getStyles(`section`,{className:n,classNames:t,styles:a,style:r}),...p,...y,mod:[{striped:u||d,animated:d},f],__vars:{"--progress-section-size":`${s}%`,"--progress-section-color":j(l,_),"--progress-label-color":se(m.autoContrast,_)?i({color:l,theme:_,autoContrast:m.autoContrast}):void 0}})});G.classes=V,G.displayName=`@mantine/core/ProgressSection`;var K=m(e=>{let t=g(`Progress`,null,e),{value:n,classNames:r,styles:i,vars:a,color:o,striped:s,animated:c,"aria-label":l,...u}=t,{resolvedClassNames:d,resolvedStyles:f}=_({classNames:r,styles:i,props:t});return(0,H.jsx)(W,{classNames:d,styles:f,vars:a,...u,children:(0,H.jsx)(G,{value:n,color:o,striped:s,animated:c,"aria-label":l})})});K.classes=V,K.displayName=`@mantine/core/Progress`,K.Section=G,K.Root=W,K.Label=U;var[ye,q]=c(`Tabs component was not found in the tree`),J={root:`m_89d60db1`,"list--default":`m_576c9d4`,list:`m_89d33d6d`,tab:`m_4ec4dce6`,panel:`m_b0c91715`,tabSection:`m_fc420b1f`,tabLabel:`m_42bbd1ae`,"tab--default":`m_539e827b`,"list--outline":`m_6772fbd5`,"tab--outline":`m_b59ab47c`,"tab--pills":`m_c3381914`},Y=m(e=>{let t=g(`TabsList`,null,e),{children:n,className:r,grow:i,justify:a,classNames:o,styles:s,style:c,mod:l,...u}=t,d=q();return(0,H.jsx)(h,{...d.getStyles(`list`,{className:r,style:c,classNames:o,styles:s,props:t,variant:d.variant}),role:`tablist`,variant:d.variant,mod:[{grow:i,orientation:d.orientation,placement:d.orientation===`vertical`&&d.placement,inverted:d.inverted},l],"aria-orientation":d.orientation,__vars:{"--tabs-justify":a},...u,children:n})});Y.classes=J,Y.displayName=`@mantine/core/TabsList`;var X=e(ae(),1),Z=m(e=>{let t=g(`TabsPanel`,null,e),{children:n,className:r,value:i,classNames:a,styles:o,style:s,mod:c,keepMounted:l,...u}=t,d=f(),p=q();(0,X.useEffect)(()=>(p.setMountedPanel(i,!0),()=>{p.setMountedPanel(i,!1)}),[i]);let m=p.value===i,_=p.keepMounted||l,v=p.keepMountedMode!==`display-none`,y=_&&v&&d!==`test`?(0,H.jsx)(X.Activity,{mode:m?`visible`:`hidden`,children:n}):_||m?n:null;return(0,H.jsx)(h,{...p.getStyles(`panel`,{className:r,classNames:a,styles:o,style:[s,m?void 0:{display:`none`}],props:t}),mod:[{orientation:p.orientation},c],role:`tabpanel`,id:p.getPanelId(i),"aria-labelledby":p.getTabId(i),...u,children:y})});Z.classes=J,Z.displayName=`@mantine/core/TabsPanel`;var Q=m(e=>{let t=g(`TabsTab`,null,e),{className:n,children:r,rightSection:i,leftSection:a,value:s,onClick:c,onKeyDown:l,disabled:d,color:f,style:p,classNames:m,styles:h,vars:_,mod:y,tabIndex:b,...x}=t,S=v(),{dir:C}=o(),w=q(),T=s===w.value,E=e=>{w.onChange(w.allowTabDeactivation&&s===w.value?null:s),c?.(e)},D={classNames:m,styles:h,props:t};return(0,H.jsxs)(u,{...w.getStyles(`tab`,{className:n,style:p,variant:w.variant,...D}),disabled:d,unstyled:w.unstyled,variant:w.variant,mod:[{active:T,disabled:d,orientation:w.orientation,inverted:w.inverted,placement:w.orientation===`vertical`&&w.placement},y],role:`tab`,id:w.getTabId(s),"aria-selected":T,tabIndex:b===void 0?T||w.value===null?0:-1:b,"aria-controls":w.mountedPanels.current.has(s)?w.getPanelId(s):void 0,onClick:E,__vars:{"--tabs-color":f?j(f,S):void 0},onKeyDown:me({siblingSelector:`[role="tab"]`,parentSelector:`[role="tablist"]`,activateOnFocus:w.activateTabWithKeyboard,loop:w.loop,orientation:w.orientation||`horizontal`,dir:C,onKeyDown:l}),...x,children:[a&&(0,H.jsx)(`span`,{...w.getStyles(`tabSection`,D),"data-position":`left`,children:a}),r&&(0,H.jsx)(`span`,{...w.getStyles(`tabLabel`,D),children:r}),i&&(0,H.jsx)(`span`,{...w.getStyles(`tabSection`,D),"data-position":`right`,children:i})]})});Q.classes=J,Q.displayName=`@mantine/core/TabsTab`;var be=`Tabs.Tab or Tabs.Panel component was rendered with invalid value or without value`,xe={keepMounted:!0,keepMountedMode:`activity`,orientation:`horizontal`,loop:!0,activateTabWithKeyboard:!0,variant:`default`,placement:`left`},Se=D((e,{radius:t,color:n,autoContrast:r})=>({root:{"--tabs-radius":M(t),"--tabs-color":j(n,e),"--tabs-text-color":se(r,e)?i({color:n,theme:e,autoContrast:r}):void 0}})),$=m(e=>{let t=g(`Tabs`,xe,e),{defaultValue:n,value:r,onChange:i,orientation:a,children:o,loop:s,id:c,activateTabWithKeyboard:l,allowTabDeactivation:u,variant:f,color:p,radius:m,inverted:_,placement:v,keepMounted:y,keepMountedMode:b,classNames:x,styles:S,unstyled:C,className:w,style:E,vars:D,autoContrast:ee,mod:O,attributes:k,...ne}=t,A=re(c),j=(0,X.useRef)(new Set),M=T(),ie=(0,X.useCallback)((e,t)=>{let n=j.current;t&&!n.has(e)?(n.add(e),M()):!t&&n.has(e)&&(n.delete(e),M())},[]),[N,P]=te({value:r,defaultValue:n,finalValue:null,onChange:i}),F=d({name:`Tabs`,props:t,classes:J,className:w,style:E,classNames:x,styles:S,unstyled:C,attributes:k,vars:D,varsResolver:Se});return(0,H.jsx)(ye,{value:{placement:v,value:N,orientation:a,id:A,loop:s,activateTabWithKeyboard:l,getTabId:ue(`${A}-tab`,be),getPanelId:ue(`${A}-panel`,be),onChange:P,allowTabDeactivation:u,variant:f,color:p,radius:m,inverted:_,keepMounted:y,keepMountedMode:b,unstyled:C,getStyles:F,mountedPanels:j,setMountedPanel:ie},children:(0,H.jsx)(h,{id:A,variant:f,mod:[{orientation:a,inverted:a===`horizontal`&&_,placement:a===`vertical`&&v},O],...F(`root`),...ne,children:o})})});$.classes=J,$.varsResolver=Se,$.displayName=`@mantine/core/Tabs`,$.Tab=Q,$.Panel=Z,$.List=Y;var Ce=b(`
  mutation AdjustPoints($externalId: String!, $amount: Int!, $reason: String!) {
    adjustPoints(externalId: $externalId, amount: $amount, reason: $reason) {
      gamification {
        points
      }
      errors {
        code
        message
      }
    }
  }
`),we=b(`
  mutation GrantBonus($externalId: String!, $templateId: ID!, $requestId: String!) {
    grantBonus(externalId: $externalId, templateId: $templateId, requestId: $requestId) {
      bonus {
        id
        status
      }
      errors {
        code
        message
      }
    }
  }
`),Te=b(`
  query BonusTemplateChoices {
    bonusTemplates {
      id
      name
      kind
      amount
      currency
    }
  }
`),Ee={additionalTypenames:[`User`,`Bonus`,`GamificationFacts`]};function De({externalId:e}){let[t,n]=(0,X.useState)(!1),[r,i]=(0,X.useState)(``),[a,o]=(0,X.useState)(``),[c,l]=(0,X.useState)(null),[{fetching:u},d]=C(Ce);async function f(t){t.preventDefault();let s=await d({externalId:e,amount:Number(r),reason:a},Ee),c=k(s.error,s.data?.adjustPoints.errors);if(c)return l(c);n(!1),i(``),o(``)}return(0,H.jsxs)(z,{opened:t,onChange:n,trapFocus:!0,position:`bottom-end`,withArrow:!0,children:[(0,H.jsx)(z.Target,{children:(0,H.jsx)(s,{variant:`default`,onClick:()=>{l(null),n(e=>!e)},children:`Adjust points`})}),(0,H.jsx)(z.Dropdown,{children:(0,H.jsx)(`form`,{onSubmit:f,children:(0,H.jsxs)(N,{gap:`xs`,w:260,children:[(0,H.jsx)(ce,{label:`Points (negative to take away)`,value:r,onChange:i,required:!0,allowDecimal:!1}),(0,H.jsx)(x,{label:`Reason`,value:a,onChange:e=>o(e.currentTarget.value),required:!0}),(0,H.jsx)(O,{message:c}),(0,H.jsx)(s,{type:`submit`,loading:u,children:`Save the adjustment`})]})})})]})}function Oe(){let e=new Uint8Array(16);return crypto.getRandomValues(e),Array.from(e,e=>e.toString(16).padStart(2,`0`)).join(``)}function ke({externalId:e}){let[t,n]=(0,X.useState)(!1),[r,i]=(0,X.useState)(null),[a,o]=(0,X.useState)(Oe),[c,l]=(0,X.useState)(null),[{data:u}]=ee({query:Te,pause:!t}),[{fetching:d},f]=C(we);async function p(t){if(t.preventDefault(),!r)return l(`Choose a bonus template.`);let i=await f({externalId:e,templateId:r,requestId:a},Ee),o=k(i.error,i.data?.grantBonus.errors);if(o)return l(o);n(!1)}return(0,H.jsxs)(z,{opened:t,onChange:n,trapFocus:!0,position:`bottom-end`,withArrow:!0,children:[(0,H.jsx)(z.Target,{children:(0,H.jsx)(s,{variant:`default`,onClick:()=>{l(null),o(Oe()),n(e=>!e)},children:`Grant a bonus`})}),(0,H.jsx)(z.Dropdown,{children:(0,H.jsx)(`form`,{onSubmit:p,children:(0,H.jsxs)(N,{gap:`xs`,w:280,children:[(0,H.jsx)(le,{label:`Bonus template`,data:(u?.bonusTemplates??[]).map(e=>({value:e.id,label:`${e.name} (${e.kind} ${e.amount}${e.currency?` ${e.currency}`:``})`})),value:r,onChange:i,comboboxProps:{withinPortal:!1}}),(0,H.jsx)(O,{message:c}),(0,H.jsx)(s,{type:`submit`,loading:d,children:`Grant it`})]})})})]})}var Ae=b(`
  query UserProfile($id: ID!) {
    user(id: $id) {
      id
      externalId
      username
      email
      phone
      timezone
      attributes
      optOuts
      createdAt
      financial {
        depositCount
        depositTotal
        withdrawalTotal
        lastDepositAt
      }
      gamification {
        points
        level {
          name
          threshold
        }
        badges {
          awardedAt
          badge {
            id
            name
            description
          }
        }
        missions {
          progress
          target
          completedAt
          mission {
            id
            name
          }
        }
      }
      bonuses {
        id
        status
        error
        createdAt
        grantedAt
        template {
          id
          name
          kind
          amount
          currency
        }
      }
      entries(first: 50) {
        totalCount
        edges {
          node {
            id
            status
            round
            enteredAt
            convertedAt
            stoppedAt
            currentStepId
            inControlGroup
            journey {
              id
              name
            }
          }
        }
      }
      events(first: 50) {
        totalCount
        edges {
          node {
            id
            name
            occurredAt
            properties
          }
        }
      }
      communications(first: 50) {
        totalCount
        edges {
          node {
            id
            channel
            status
            queuedAt
            firstOpenAt
            firstClickAt
            resource {
              id
              name
            }
            journey {
              id
              name
            }
          }
        }
      }
    }
  }
`);function je(){let{userId:e=``}=y(),{canEdit:i}=E(),[{data:o,fetching:s,error:c}]=ee({query:Ae,variables:{id:e}});if(s&&!o)return(0,H.jsx)(ne,{});let u=o?.user;if(!u)return(0,H.jsx)(O,{message:k(c)??`There is no user with this id.`});let d=u.gamification,f=Object.entries(u.attributes??{});return(0,H.jsxs)(N,{gap:`sm`,children:[(0,H.jsxs)(a,{gap:`xs`,children:[(0,H.jsx)(t,{component:w,to:`/users`,size:`sm`,children:`Users`}),(0,H.jsx)(p,{size:`sm`,c:`dimmed`,children:`/`})]}),(0,H.jsxs)(a,{justify:`space-between`,align:`flex-start`,children:[(0,H.jsxs)(N,{gap:2,children:[(0,H.jsx)(P,{order:2,size:`h3`,children:u.username??u.externalId}),(0,H.jsxs)(p,{size:`sm`,children:[`External id `,u.externalId,` · `,u.email??`no email`,` · `,u.phone??`no phone`,` · `,u.timezone??`server time zone`,` · since `,n(u.createdAt)]}),u.optOuts.length?(0,H.jsxs)(p,{size:`sm`,children:[`Opted out of: `,u.optOuts.join(`, `)]}):null]}),i?(0,H.jsxs)(a,{gap:`xs`,align:`flex-start`,children:[(0,H.jsx)(De,{externalId:u.externalId}),(0,H.jsx)(ke,{externalId:u.externalId})]}):null]}),(0,H.jsxs)(I,{children:[(0,H.jsx)(I.Col,{span:{base:12,md:4},children:(0,H.jsxs)(l,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,H.jsx)(P,{order:3,size:`h5`,children:`Gamification`}),(0,H.jsxs)(p,{size:`sm`,"data-testid":`points`,children:[r(d.points),` points · level `,d.level?`${d.level.name} (from ${d.level.threshold})`:`none`]}),(0,H.jsxs)(a,{gap:4,mt:4,children:[d.badges.map(e=>(0,H.jsx)(ie,{variant:`light`,title:`awarded ${n(e.awardedAt)}`,styles:{label:{color:`var(--mantine-color-dark-8)`}},children:e.badge.name},e.badge.id)),d.badges.length?null:(0,H.jsx)(p,{size:`xs`,children:`No badge yet.`})]}),d.missions.map(e=>(0,H.jsxs)(N,{gap:0,mt:6,children:[(0,H.jsxs)(p,{size:`xs`,children:[e.mission.name,`: `,r(e.progress),` / `,r(e.target),e.completedAt?` · done ${n(e.completedAt)}`:``]}),(0,H.jsx)(K,{value:Math.min(100,e.progress/(e.target||1)*100),size:`sm`,"aria-label":`${e.mission.name} progress`})]},e.mission.id))]})}),(0,H.jsx)(I.Col,{span:{base:12,md:4},children:(0,H.jsxs)(l,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,H.jsx)(P,{order:3,size:`h5`,children:`Financial`}),(0,H.jsxs)(p,{size:`sm`,children:[u.financial.depositCount,` deposits, `,r(u.financial.depositTotal,2),` in all`]}),(0,H.jsxs)(p,{size:`sm`,children:[`Withdrawn `,r(u.financial.withdrawalTotal,2)]}),(0,H.jsxs)(p,{size:`sm`,children:[`Last deposit `,n(u.financial.lastDepositAt)]})]})}),(0,H.jsx)(I.Col,{span:{base:12,md:4},children:(0,H.jsxs)(l,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,H.jsx)(P,{order:3,size:`h5`,children:`Attributes`}),f.length?f.map(([e,t])=>(0,H.jsxs)(p,{size:`sm`,children:[e,`: `,(0,H.jsx)(F,{children:JSON.stringify(t)})]},e)):(0,H.jsx)(p,{size:`sm`,children:`None.`})]})})]}),(0,H.jsxs)($,{defaultValue:`journeys`,children:[(0,H.jsxs)($.List,{children:[(0,H.jsxs)($.Tab,{value:`journeys`,children:[`Journeys (`,u.entries.totalCount,`)`]}),(0,H.jsxs)($.Tab,{value:`events`,children:[`Events (`,u.events.totalCount,`)`]}),(0,H.jsxs)($.Tab,{value:`communications`,children:[`Communications (`,u.communications.totalCount,`)`]}),(0,H.jsxs)($.Tab,{value:`bonuses`,children:[`Bonuses (`,u.bonuses.length,`)`]})]}),(0,H.jsxs)($.Panel,{value:`journeys`,pt:`xs`,children:[(0,H.jsx)(Me,{shown:u.entries.edges.length,total:u.entries.totalCount,what:`entries`}),(0,H.jsxs)(L,{striped:!0,children:[(0,H.jsx)(L.Thead,{children:(0,H.jsxs)(L.Tr,{children:[(0,H.jsx)(L.Th,{children:`Journey`}),(0,H.jsx)(L.Th,{children:`Status`}),(0,H.jsx)(L.Th,{children:`Step now`}),(0,H.jsx)(L.Th,{children:`Entered`}),(0,H.jsx)(L.Th,{children:`Converted`}),(0,H.jsx)(L.Th,{children:`Ended`}),(0,H.jsx)(L.Th,{children:`Path`})]})}),(0,H.jsx)(L.Tbody,{children:u.entries.edges.map(({node:e})=>(0,H.jsxs)(L.Tr,{children:[(0,H.jsxs)(L.Td,{children:[(0,H.jsx)(t,{component:w,to:`/journeys/${encodeURIComponent(e.journey.id)}`,size:`sm`,children:e.journey.name}),(0,H.jsxs)(p,{size:`xs`,c:`dimmed`,children:[`round `,e.round,e.inControlGroup?` · control group`:``]})]}),(0,H.jsx)(L.Td,{children:(0,H.jsx)(R,{status:e.status})}),(0,H.jsx)(L.Td,{children:e.currentStepId??`—`}),(0,H.jsx)(L.Td,{children:n(e.enteredAt)}),(0,H.jsx)(L.Td,{children:n(e.convertedAt)}),(0,H.jsx)(L.Td,{children:n(e.stoppedAt)}),(0,H.jsx)(L.Td,{children:(0,H.jsx)(t,{component:w,size:`sm`,to:`/journeys/${encodeURIComponent(e.journey.id)}/entries/${encodeURIComponent(e.id)}`,"aria-label":`Open path in ${e.journey.name}, round ${e.round}`,children:`Open path`})})]},e.id))})]}),u.entries.totalCount?null:(0,H.jsx)(A,{children:`Never entered a journey.`})]}),(0,H.jsxs)($.Panel,{value:`events`,pt:`xs`,children:[(0,H.jsx)(Me,{shown:u.events.edges.length,total:u.events.totalCount,what:`events`}),(0,H.jsxs)(L,{striped:!0,children:[(0,H.jsx)(L.Thead,{children:(0,H.jsxs)(L.Tr,{children:[(0,H.jsx)(L.Th,{children:`When`}),(0,H.jsx)(L.Th,{children:`Event`}),(0,H.jsx)(L.Th,{children:`Properties`})]})}),(0,H.jsx)(L.Tbody,{children:u.events.edges.map(({node:e})=>(0,H.jsxs)(L.Tr,{children:[(0,H.jsx)(L.Td,{children:n(e.occurredAt)}),(0,H.jsx)(L.Td,{children:e.name}),(0,H.jsx)(L.Td,{children:(0,H.jsx)(F,{children:JSON.stringify(e.properties)})})]},e.id))})]})]}),(0,H.jsxs)($.Panel,{value:`communications`,pt:`xs`,children:[(0,H.jsx)(Me,{shown:u.communications.edges.length,total:u.communications.totalCount,what:`messages`}),(0,H.jsxs)(L,{striped:!0,children:[(0,H.jsx)(L.Thead,{children:(0,H.jsxs)(L.Tr,{children:[(0,H.jsx)(L.Th,{children:`Queued`}),(0,H.jsx)(L.Th,{children:`Resource`}),(0,H.jsx)(L.Th,{children:`Journey`}),(0,H.jsx)(L.Th,{children:`Status`}),(0,H.jsx)(L.Th,{children:`Opened`}),(0,H.jsx)(L.Th,{children:`Clicked`})]})}),(0,H.jsx)(L.Tbody,{children:u.communications.edges.map(({node:e})=>(0,H.jsxs)(L.Tr,{children:[(0,H.jsx)(L.Td,{children:n(e.queuedAt)}),(0,H.jsxs)(L.Td,{children:[e.resource.name,` (`,e.channel,`)`]}),(0,H.jsx)(L.Td,{children:e.journey?.name??`—`}),(0,H.jsx)(L.Td,{children:(0,H.jsx)(R,{status:e.status})}),(0,H.jsx)(L.Td,{children:n(e.firstOpenAt)}),(0,H.jsx)(L.Td,{children:n(e.firstClickAt)})]},e.id))})]})]}),(0,H.jsx)($.Panel,{value:`bonuses`,pt:`xs`,children:(0,H.jsxs)(L,{striped:!0,children:[(0,H.jsx)(L.Thead,{children:(0,H.jsxs)(L.Tr,{children:[(0,H.jsx)(L.Th,{children:`Created`}),(0,H.jsx)(L.Th,{children:`Bonus`}),(0,H.jsx)(L.Th,{children:`Status`}),(0,H.jsx)(L.Th,{children:`Granted`})]})}),(0,H.jsx)(L.Tbody,{children:u.bonuses.map(e=>(0,H.jsxs)(L.Tr,{children:[(0,H.jsx)(L.Td,{children:n(e.createdAt)}),(0,H.jsxs)(L.Td,{children:[e.template.name,` (`,e.template.kind,` `,r(e.template.amount,2),` `,e.template.currency??``,`)`]}),(0,H.jsxs)(L.Td,{children:[(0,H.jsx)(R,{status:e.status}),e.error?(0,H.jsx)(p,{size:`xs`,children:e.error}):null]}),(0,H.jsx)(L.Td,{children:n(e.grantedAt)})]},e.id))})]})})]})]})}function Me({shown:e,total:t,what:n}){return e>=t?null:(0,H.jsxs)(p,{size:`xs`,c:`dimmed`,mb:4,children:[`The latest `,e,` of `,t.toLocaleString(`en-GB`),` `,n,`.`]})}export{je as default};