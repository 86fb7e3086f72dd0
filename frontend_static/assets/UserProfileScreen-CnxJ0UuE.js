import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{a as t,i as n,n as r}from"./format-BFW0noJ6.js";import{B as i,C as a,F as o,H as s,J as c,P as l,Q as u,S as d,St as f,X as p,Y as m,Z as h,_t as g,a as _,at as v,b as y,c as b,et as x,g as S,i as C,k as w,lt as T,n as E,o as D,q as ee,r as te,rt as O,s as k,t as ne,u as A,ut as re,v as j,w as M,y as ie,yt as ae,z as oe}from"./app-B7fBDcTS.js";import{t as N}from"./Code-B_wX_wqz.js";import{t as P}from"./Grid-DnH48w91.js";import{C as se,T as ce}from"./preload-helper-CXhCD7sQ.js";import{t as F}from"./get-auto-contrast-value-BTPwFOS2.js";import{t as I}from"./Table-DHgA7plI.js";import{t as L}from"./StatusBadge-CiBlpWY-.js";import{t as le}from"./NumberInput-BSc4a2m1.js";import{t as ue,u as R}from"./Select-CuEhcwtW.js";function de(e,t){return n=>{if(typeof n!=`string`||n.trim().length===0)throw Error(t);return`${e}-${n}`}}function z(e,t){let n=e;for(;(n=n.parentElement)&&!n.matches(t););return n}function fe(e,t,n){for(let n=e-1;n>=0;--n)if(!t[n].disabled)return n;if(n){for(let e=t.length-1;e>-1;--e)if(!t[e].disabled)return e}return e}function pe(e,t,n){for(let n=e+1;n<t.length;n+=1)if(!t[n].disabled)return n;if(n){for(let e=0;e<t.length;e+=1)if(!t[e].disabled)return e}return e}function me(e,t,n){return z(e,n)===z(t,n)}function he({parentSelector:e,siblingSelector:t,onKeyDown:n,loop:r=!0,activateOnFocus:i=!1,dir:a=`rtl`,orientation:o}){return s=>{n?.(s);let c=Array.from(z(s.currentTarget,e)?.querySelectorAll(t)||[]).filter(t=>me(s.currentTarget,t,e)),l=c.findIndex(e=>s.currentTarget===e),u=pe(l,c,r),d=fe(l,c,r),f=a===`rtl`?d:u,p=a===`rtl`?u:d;switch(s.key){case`ArrowRight`:o===`horizontal`&&(s.stopPropagation(),s.preventDefault(),c[f].focus(),i&&c[f].click());break;case`ArrowLeft`:o===`horizontal`&&(s.stopPropagation(),s.preventDefault(),c[p].focus(),i&&c[p].click());break;case`ArrowUp`:o===`vertical`&&(s.stopPropagation(),s.preventDefault(),c[d].focus(),i&&c[d].click());break;case`ArrowDown`:o===`vertical`&&(s.stopPropagation(),s.preventDefault(),c[u].focus(),i&&c[u].click());break;case`Home`:s.stopPropagation(),s.preventDefault(),c[pe(-1,c,!1)]?.focus();break;case`End`:s.stopPropagation(),s.preventDefault(),c[fe(c.length,c,!1)]?.focus()}}}var[ge,_e]=f(`Progress.Root component was not found in tree`),B={root:`m_db6d6462`,section:`m_2242eb65`,"stripes-animation":`m_81a374bd`,"stripes-animation-vertical":`m_e0fb7a86`,label:`m_91e40b74`},V=se(),H=s(e=>{let{classNames:t,className:n,style:r,styles:a,vars:o,...s}=m(`ProgressLabel`,null,e),c=_e();return(0,V.jsx)(i,{...c.getStyles(`label`,{className:n,style:r,classNames:t,styles:a}),...s})});H.classes=B,H.displayName=`@mantine/core/ProgressLabel`;var ve=O((e,{size:t,radius:n,transitionDuration:r})=>({root:{"--progress-size":ae(t,`progress-size`),"--progress-radius":n===void 0?void 0:g(n),"--progress-transition-duration":typeof r==`number`?`${r}ms`:void 0}})),U=s(e=>{let t=m(`ProgressRoot`,null,e),{classNames:n,className:r,style:a,styles:o,unstyled:s,vars:c,autoContrast:l,transitionDuration:u,orientation:d,attributes:f,mod:p,...h}=t,g=ee({name:`Progress`,classes:B,props:t,className:r,style:a,classNames:n,styles:o,unstyled:s,attributes:f,vars:c,varsResolver:ve});return(0,V.jsx)(ge,{value:{getStyles:g,autoContrast:l},children:(0,V.jsx)(i,{mod:[{orientation:d},p],...g(`root`),...h})})});U.classes=B,U.varsResolver=ve,U.displayName=`@mantine/core/ProgressRoot`;var ye={withAria:!0},W=s(e=>{let{classNames:t,className:n,style:r,styles:a,vars:o,value:s,withAria:c,color:l,striped:d,animated:f,mod:h,...g}=m(`ProgressSection`,ye,e),_=_e(),v=p(),y=c?{role:`progressbar`,"aria-valuemax":100,"aria-valuemin":0,"aria-valuenow":s,"aria-valuetext":`${s}%`}:{};return(0,V.jsx)(i,{..._.getStyles(`section`,{className:n,classNames:t,styles:a,style:r}),...g,...y,mod:[{striped:d||f,animated:f},h],__vars:{"--progress-section-size":`${s}%`,"--progress-section-color":x(l,v),"--progress-label-color":F(_.autoContrast,v)?u({color:l,theme:v,autoContrast:_.autoContrast}):void 0}})});W.classes=B,W.displayName=`@mantine/core/ProgressSection`;var G=s(e=>{let t=m(`Progress`,null,e),{value:n,classNames:r,styles:i,vars:a,color:o,striped:s,animated:l,"aria-label":u,...d}=t,{resolvedClassNames:f,resolvedStyles:p}=c({classNames:r,styles:i,props:t});return(0,V.jsx)(U,{classNames:f,styles:p,vars:a,...d,children:(0,V.jsx)(W,{value:n,color:o,striped:s,animated:l,"aria-label":u})})});G.classes=B,G.displayName=`@mantine/core/Progress`,G.Section=W,G.Root=U,G.Label=H;var[be,K]=f(`Tabs component was not found in the tree`),q={root:`m_89d60db1`,"list--default":`m_576c9d4`,list:`m_89d33d6d`,tab:`m_4ec4dce6`,panel:`m_b0c91715`,tabSection:`m_fc420b1f`,tabLabel:`m_42bbd1ae`,"tab--default":`m_539e827b`,"list--outline":`m_6772fbd5`,"tab--outline":`m_b59ab47c`,"tab--pills":`m_c3381914`},J=s(e=>{let t=m(`TabsList`,null,e),{children:n,className:r,grow:a,justify:o,classNames:s,styles:c,style:l,mod:u,...d}=t,f=K();return(0,V.jsx)(i,{...f.getStyles(`list`,{className:r,style:l,classNames:s,styles:c,props:t,variant:f.variant}),role:`tablist`,variant:f.variant,mod:[{grow:a,orientation:f.orientation,placement:f.orientation===`vertical`&&f.placement,inverted:f.inverted},u],"aria-orientation":f.orientation,__vars:{"--tabs-justify":o},...d,children:n})});J.classes=q,J.displayName=`@mantine/core/TabsList`;var Y=e(ce(),1),X=s(e=>{let t=m(`TabsPanel`,null,e),{children:n,className:r,value:a,classNames:o,styles:s,style:c,mod:l,keepMounted:u,...d}=t,f=h(),p=K();(0,Y.useEffect)(()=>(p.setMountedPanel(a,!0),()=>{p.setMountedPanel(a,!1)}),[a]);let g=p.value===a,_=p.keepMounted||u,v=p.keepMountedMode!==`display-none`,y=_&&v&&f!==`test`?(0,V.jsx)(Y.Activity,{mode:g?`visible`:`hidden`,children:n}):_||g?n:null;return(0,V.jsx)(i,{...p.getStyles(`panel`,{className:r,classNames:o,styles:s,style:[c,g?void 0:{display:`none`}],props:t}),mod:[{orientation:p.orientation},l],role:`tabpanel`,id:p.getPanelId(a),"aria-labelledby":p.getTabId(a),...d,children:y})});X.classes=q,X.displayName=`@mantine/core/TabsPanel`;var Z=s(e=>{let t=m(`TabsTab`,null,e),{className:n,children:r,rightSection:i,leftSection:a,value:s,onClick:c,onKeyDown:l,disabled:u,color:d,style:f,classNames:h,styles:g,vars:_,mod:v,tabIndex:y,...b}=t,S=p(),{dir:C}=oe(),w=K(),T=s===w.value,E=e=>{w.onChange(w.allowTabDeactivation&&s===w.value?null:s),c?.(e)},D={classNames:h,styles:g,props:t};return(0,V.jsxs)(o,{...w.getStyles(`tab`,{className:n,style:f,variant:w.variant,...D}),disabled:u,unstyled:w.unstyled,variant:w.variant,mod:[{active:T,disabled:u,orientation:w.orientation,inverted:w.inverted,placement:w.orientation===`vertical`&&w.placement},v],role:`tab`,id:w.getTabId(s),"aria-selected":T,tabIndex:y===void 0?T||w.value===null?0:-1:y,"aria-controls":w.mountedPanels.current.has(s)?w.getPanelId(s):void 0,onClick:E,__vars:{"--tabs-color":d?x(d,S):void 0},onKeyDown:he({siblingSelector:`[role="tab"]`,parentSelector:`[role="tablist"]`,activateOnFocus:w.activateTabWithKeyboard,loop:w.loop,orientation:w.orientation||`horizontal`,dir:C,onKeyDown:l}),...b,children:[a&&(0,V.jsx)(`span`,{...w.getStyles(`tabSection`,D),"data-position":`left`,children:a}),r&&(0,V.jsx)(`span`,{...w.getStyles(`tabLabel`,D),children:r}),i&&(0,V.jsx)(`span`,{...w.getStyles(`tabSection`,D),"data-position":`right`,children:i})]})});Z.classes=q,Z.displayName=`@mantine/core/TabsTab`;var xe=`Tabs.Tab or Tabs.Panel component was rendered with invalid value or without value`,Se={keepMounted:!0,keepMountedMode:`activity`,orientation:`horizontal`,loop:!0,activateTabWithKeyboard:!0,variant:`default`,placement:`left`},Ce=O((e,{radius:t,color:n,autoContrast:r})=>({root:{"--tabs-radius":g(t),"--tabs-color":x(n,e),"--tabs-text-color":F(r,e)?u({color:n,theme:e,autoContrast:r}):void 0}})),Q=s(e=>{let t=m(`Tabs`,Se,e),{defaultValue:n,value:r,onChange:a,orientation:o,children:s,loop:c,id:l,activateTabWithKeyboard:u,allowTabDeactivation:d,variant:f,color:p,radius:h,inverted:g,placement:_,keepMounted:y,keepMountedMode:b,classNames:x,styles:S,unstyled:C,className:w,style:E,vars:D,autoContrast:te,mod:O,attributes:k,...ne}=t,A=T(l),j=(0,Y.useRef)(new Set),M=re(),ie=(0,Y.useCallback)((e,t)=>{let n=j.current;t&&!n.has(e)?(n.add(e),M()):!t&&n.has(e)&&(n.delete(e),M())},[]),[ae,oe]=v({value:r,defaultValue:n,finalValue:null,onChange:a}),N=ee({name:`Tabs`,props:t,classes:q,className:w,style:E,classNames:x,styles:S,unstyled:C,attributes:k,vars:D,varsResolver:Ce});return(0,V.jsx)(be,{value:{placement:_,value:ae,orientation:o,id:A,loop:c,activateTabWithKeyboard:u,getTabId:de(`${A}-tab`,xe),getPanelId:de(`${A}-panel`,xe),onChange:oe,allowTabDeactivation:d,variant:f,color:p,radius:h,inverted:g,keepMounted:y,keepMountedMode:b,unstyled:C,getStyles:N,mountedPanels:j,setMountedPanel:ie},children:(0,V.jsx)(i,{id:A,variant:f,mod:[{orientation:o,inverted:o===`horizontal`&&g,placement:o===`vertical`&&_},O],...N(`root`),...ne,children:s})})});Q.classes=q,Q.varsResolver=Ce,Q.displayName=`@mantine/core/Tabs`,Q.Tab=Z,Q.Panel=X,Q.List=J;var we=_(`
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
`),Te=_(`
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
`),Ee=_(`
  query BonusTemplateChoices {
    bonusTemplates {
      id
      name
      kind
      amount
      currency
    }
  }
`),De={additionalTypenames:[`User`,`Bonus`,`GamificationFacts`]};function Oe({externalId:e}){let[t,n]=(0,Y.useState)(!1),[r,i]=(0,Y.useState)(``),[a,o]=(0,Y.useState)(``),[s,c]=(0,Y.useState)(null),[{fetching:l},u]=k(we);async function f(t){t.preventDefault();let s=await u({externalId:e,amount:Number(r),reason:a},De),l=D(s.error,s.data?.adjustPoints.errors);if(l)return c(l);n(!1),i(``),o(``)}return(0,V.jsxs)(R,{opened:t,onChange:n,trapFocus:!0,position:`bottom-end`,withArrow:!0,children:[(0,V.jsx)(R.Target,{children:(0,V.jsx)(d,{variant:`default`,onClick:()=>{c(null),n(e=>!e)},children:`Adjust points`})}),(0,V.jsx)(R.Dropdown,{children:(0,V.jsx)(`form`,{onSubmit:f,children:(0,V.jsxs)(y,{gap:`xs`,w:260,children:[(0,V.jsx)(le,{label:`Points (negative to take away)`,value:r,onChange:i,required:!0,allowDecimal:!1}),(0,V.jsx)(ie,{label:`Reason`,value:a,onChange:e=>o(e.currentTarget.value),required:!0}),(0,V.jsx)(E,{message:s}),(0,V.jsx)(d,{type:`submit`,loading:l,children:`Save the adjustment`})]})})})]})}function $(){let e=new Uint8Array(16);return crypto.getRandomValues(e),Array.from(e,e=>e.toString(16).padStart(2,`0`)).join(``)}function ke({externalId:e}){let[t,n]=(0,Y.useState)(!1),[r,i]=(0,Y.useState)(null),[a,o]=(0,Y.useState)($),[s,c]=(0,Y.useState)(null),[{data:l}]=b({query:Ee,pause:!t}),[{fetching:u},f]=k(Te);async function p(t){if(t.preventDefault(),!r)return c(`Choose a bonus template.`);let i=await f({externalId:e,templateId:r,requestId:a},De),o=D(i.error,i.data?.grantBonus.errors);if(o)return c(o);n(!1)}return(0,V.jsxs)(R,{opened:t,onChange:n,trapFocus:!0,position:`bottom-end`,withArrow:!0,children:[(0,V.jsx)(R.Target,{children:(0,V.jsx)(d,{variant:`default`,onClick:()=>{c(null),o($()),n(e=>!e)},children:`Grant a bonus`})}),(0,V.jsx)(R.Dropdown,{children:(0,V.jsx)(`form`,{onSubmit:p,children:(0,V.jsxs)(y,{gap:`xs`,w:280,children:[(0,V.jsx)(ue,{label:`Bonus template`,data:(l?.bonusTemplates??[]).map(e=>({value:e.id,label:`${e.name} (${e.kind} ${e.amount}${e.currency?` ${e.currency}`:``})`})),value:r,onChange:i,comboboxProps:{withinPortal:!1}}),(0,V.jsx)(E,{message:s}),(0,V.jsx)(d,{type:`submit`,loading:u,children:`Grant it`})]})})})]})}var Ae=_(`
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
`);function je(){let{userId:e=``}=S(),{canEdit:i}=C(),[{data:o,fetching:s,error:c}]=b({query:Ae,variables:{id:e}});if(s&&!o)return(0,V.jsx)(te,{});let u=o?.user;if(!u)return(0,V.jsx)(E,{message:D(c)??`There is no user with this id.`});let d=u.gamification,f=Object.entries(u.attributes??{});return(0,V.jsxs)(y,{gap:`sm`,children:[(0,V.jsxs)(w,{gap:`xs`,children:[(0,V.jsx)(t,{component:A,to:`/users`,size:`sm`,children:`Users`}),(0,V.jsx)(M,{size:`sm`,c:`dimmed`,children:`/`})]}),(0,V.jsxs)(w,{justify:`space-between`,align:`flex-start`,children:[(0,V.jsxs)(y,{gap:2,children:[(0,V.jsx)(j,{order:2,size:`h3`,children:u.username??u.externalId}),(0,V.jsxs)(M,{size:`sm`,children:[`External id `,u.externalId,` · `,u.email??`no email`,` · `,u.phone??`no phone`,` · `,u.timezone??`server time zone`,` · since `,n(u.createdAt)]}),u.optOuts.length?(0,V.jsxs)(M,{size:`sm`,children:[`Opted out of: `,u.optOuts.join(`, `)]}):null]}),i?(0,V.jsxs)(w,{gap:`xs`,align:`flex-start`,children:[(0,V.jsx)(Oe,{externalId:u.externalId}),(0,V.jsx)(ke,{externalId:u.externalId})]}):null]}),(0,V.jsxs)(P,{children:[(0,V.jsx)(P.Col,{span:{base:12,md:4},children:(0,V.jsxs)(l,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,V.jsx)(j,{order:3,size:`h5`,children:`Gamification`}),(0,V.jsxs)(M,{size:`sm`,"data-testid":`points`,children:[r(d.points),` points · level `,d.level?`${d.level.name} (from ${d.level.threshold})`:`none`]}),(0,V.jsxs)(w,{gap:4,mt:4,children:[d.badges.map(e=>(0,V.jsx)(a,{variant:`light`,title:`awarded ${n(e.awardedAt)}`,styles:{label:{color:`var(--mantine-color-dark-8)`}},children:e.badge.name},e.badge.id)),d.badges.length?null:(0,V.jsx)(M,{size:`xs`,children:`No badge yet.`})]}),d.missions.map(e=>(0,V.jsxs)(y,{gap:0,mt:6,children:[(0,V.jsxs)(M,{size:`xs`,children:[e.mission.name,`: `,r(e.progress),` / `,r(e.target),e.completedAt?` · done ${n(e.completedAt)}`:``]}),(0,V.jsx)(G,{value:Math.min(100,e.progress/(e.target||1)*100),size:`sm`,"aria-label":`${e.mission.name} progress`})]},e.mission.id))]})}),(0,V.jsx)(P.Col,{span:{base:12,md:4},children:(0,V.jsxs)(l,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,V.jsx)(j,{order:3,size:`h5`,children:`Financial`}),(0,V.jsxs)(M,{size:`sm`,children:[u.financial.depositCount,` deposits, `,r(u.financial.depositTotal,2),` in all`]}),(0,V.jsxs)(M,{size:`sm`,children:[`Withdrawn `,r(u.financial.withdrawalTotal,2)]}),(0,V.jsxs)(M,{size:`sm`,children:[`Last deposit `,n(u.financial.lastDepositAt)]})]})}),(0,V.jsx)(P.Col,{span:{base:12,md:4},children:(0,V.jsxs)(l,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,V.jsx)(j,{order:3,size:`h5`,children:`Attributes`}),f.length?f.map(([e,t])=>(0,V.jsxs)(M,{size:`sm`,children:[e,`: `,(0,V.jsx)(N,{children:JSON.stringify(t)})]},e)):(0,V.jsx)(M,{size:`sm`,children:`None.`})]})})]}),(0,V.jsxs)(Q,{defaultValue:`journeys`,children:[(0,V.jsxs)(Q.List,{children:[(0,V.jsxs)(Q.Tab,{value:`journeys`,children:[`Journeys (`,u.entries.totalCount,`)`]}),(0,V.jsxs)(Q.Tab,{value:`events`,children:[`Events (`,u.events.totalCount,`)`]}),(0,V.jsxs)(Q.Tab,{value:`communications`,children:[`Communications (`,u.communications.totalCount,`)`]}),(0,V.jsxs)(Q.Tab,{value:`bonuses`,children:[`Bonuses (`,u.bonuses.length,`)`]})]}),(0,V.jsxs)(Q.Panel,{value:`journeys`,pt:`xs`,children:[(0,V.jsxs)(I,{striped:!0,children:[(0,V.jsx)(I.Thead,{children:(0,V.jsxs)(I.Tr,{children:[(0,V.jsx)(I.Th,{children:`Journey`}),(0,V.jsx)(I.Th,{children:`Status`}),(0,V.jsx)(I.Th,{children:`Step now`}),(0,V.jsx)(I.Th,{children:`Entered`}),(0,V.jsx)(I.Th,{children:`Converted`}),(0,V.jsx)(I.Th,{children:`Ended`}),(0,V.jsx)(I.Th,{children:`Path`})]})}),(0,V.jsx)(I.Tbody,{children:u.entries.edges.map(({node:e})=>(0,V.jsxs)(I.Tr,{children:[(0,V.jsxs)(I.Td,{children:[(0,V.jsx)(t,{component:A,to:`/journeys/${encodeURIComponent(e.journey.id)}`,size:`sm`,children:e.journey.name}),(0,V.jsxs)(M,{size:`xs`,c:`dimmed`,children:[`round `,e.round,e.inControlGroup?` · control group`:``]})]}),(0,V.jsx)(I.Td,{children:(0,V.jsx)(L,{status:e.status})}),(0,V.jsx)(I.Td,{children:e.currentStepId??`—`}),(0,V.jsx)(I.Td,{children:n(e.enteredAt)}),(0,V.jsx)(I.Td,{children:n(e.convertedAt)}),(0,V.jsx)(I.Td,{children:n(e.stoppedAt)}),(0,V.jsx)(I.Td,{children:(0,V.jsx)(t,{component:A,size:`sm`,to:`/journeys/${encodeURIComponent(e.journey.id)}/entries/${encodeURIComponent(e.id)}`,"aria-label":`Open path in ${e.journey.name}, round ${e.round}`,children:`Open path`})})]},e.id))})]}),u.entries.totalCount?null:(0,V.jsx)(ne,{children:`Never entered a journey.`})]}),(0,V.jsx)(Q.Panel,{value:`events`,pt:`xs`,children:(0,V.jsxs)(I,{striped:!0,children:[(0,V.jsx)(I.Thead,{children:(0,V.jsxs)(I.Tr,{children:[(0,V.jsx)(I.Th,{children:`When`}),(0,V.jsx)(I.Th,{children:`Event`}),(0,V.jsx)(I.Th,{children:`Properties`})]})}),(0,V.jsx)(I.Tbody,{children:u.events.edges.map(({node:e})=>(0,V.jsxs)(I.Tr,{children:[(0,V.jsx)(I.Td,{children:n(e.occurredAt)}),(0,V.jsx)(I.Td,{children:e.name}),(0,V.jsx)(I.Td,{children:(0,V.jsx)(N,{children:JSON.stringify(e.properties)})})]},e.id))})]})}),(0,V.jsx)(Q.Panel,{value:`communications`,pt:`xs`,children:(0,V.jsxs)(I,{striped:!0,children:[(0,V.jsx)(I.Thead,{children:(0,V.jsxs)(I.Tr,{children:[(0,V.jsx)(I.Th,{children:`Queued`}),(0,V.jsx)(I.Th,{children:`Resource`}),(0,V.jsx)(I.Th,{children:`Journey`}),(0,V.jsx)(I.Th,{children:`Status`}),(0,V.jsx)(I.Th,{children:`Opened`}),(0,V.jsx)(I.Th,{children:`Clicked`})]})}),(0,V.jsx)(I.Tbody,{children:u.communications.edges.map(({node:e})=>(0,V.jsxs)(I.Tr,{children:[(0,V.jsx)(I.Td,{children:n(e.queuedAt)}),(0,V.jsxs)(I.Td,{children:[e.resource.name,` (`,e.channel,`)`]}),(0,V.jsx)(I.Td,{children:e.journey?.name??`—`}),(0,V.jsx)(I.Td,{children:(0,V.jsx)(L,{status:e.status})}),(0,V.jsx)(I.Td,{children:n(e.firstOpenAt)}),(0,V.jsx)(I.Td,{children:n(e.firstClickAt)})]},e.id))})]})}),(0,V.jsx)(Q.Panel,{value:`bonuses`,pt:`xs`,children:(0,V.jsxs)(I,{striped:!0,children:[(0,V.jsx)(I.Thead,{children:(0,V.jsxs)(I.Tr,{children:[(0,V.jsx)(I.Th,{children:`Created`}),(0,V.jsx)(I.Th,{children:`Bonus`}),(0,V.jsx)(I.Th,{children:`Status`}),(0,V.jsx)(I.Th,{children:`Granted`})]})}),(0,V.jsx)(I.Tbody,{children:u.bonuses.map(e=>(0,V.jsxs)(I.Tr,{children:[(0,V.jsx)(I.Td,{children:n(e.createdAt)}),(0,V.jsxs)(I.Td,{children:[e.template.name,` (`,e.template.kind,` `,r(e.template.amount,2),` `,e.template.currency??``,`)`]}),(0,V.jsxs)(I.Td,{children:[(0,V.jsx)(L,{status:e.status}),e.error?(0,V.jsx)(M,{size:`xs`,children:e.error}):null]}),(0,V.jsx)(I.Td,{children:n(e.grantedAt)})]},e.id))})]})})]})]})}export{je as default};