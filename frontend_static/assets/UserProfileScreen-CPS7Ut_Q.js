import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,i as n,n as r}from"./format-gbdNBq_j.js";import{_ as i,b as a,c as o,d as s,m as c,n as l,p as u,t as d,u as f,v as p}from"./app-DtywuLxz.js";import{t as m}from"./Code-CQpzBu4B.js";import{t as h}from"./Grid--NDi51qk.js";import{Bt as g,Ht as _,K as v,Mt as y,Ot as b,Rt as x,St as S,W as C,X as ee,ct as w,d as T,dt as E,et as te,f as D,gt as ne,i as O,lt as k,n as A,o as j,r as re,rt as M,t as ie,tt as N}from"./feedback-CLhFjJTY.js";import{i as P}from"./InputBase-CMUv4tFH.js";import{D as ae,T as oe}from"./preload-helper-DlvYQrOn.js";import{t as se}from"./get-auto-contrast-value-BTPwFOS2.js";import{t as F}from"./Table-Bhch2j_W.js";import{t as ce}from"./use-uncontrolled-CS9UeC5i.js";import{t as I}from"./StatusBadge-iwKtv9cr.js";import{t as L}from"./Button-BxaX3cBD.js";import{t as le}from"./NumberInput-DmbprykQ.js";import{t as ue,u as R}from"./Select-DvukXlRm.js";function de(e,t){return n=>{if(typeof n!=`string`||n.trim().length===0)throw Error(t);return`${e}-${n}`}}function z(e,t){let n=e;for(;(n=n.parentElement)&&!n.matches(t););return n}function fe(e,t,n){for(let n=e-1;n>=0;--n)if(!t[n].disabled)return n;if(n){for(let e=t.length-1;e>-1;--e)if(!t[e].disabled)return e}return e}function pe(e,t,n){for(let n=e+1;n<t.length;n+=1)if(!t[n].disabled)return n;if(n){for(let e=0;e<t.length;e+=1)if(!t[e].disabled)return e}return e}function me(e,t,n){return z(e,n)===z(t,n)}function he({parentSelector:e,siblingSelector:t,onKeyDown:n,loop:r=!0,activateOnFocus:i=!1,dir:a=`rtl`,orientation:o}){return s=>{n?.(s);let c=Array.from(z(s.currentTarget,e)?.querySelectorAll(t)||[]).filter(t=>me(s.currentTarget,t,e)),l=c.findIndex(e=>s.currentTarget===e),u=pe(l,c,r),d=fe(l,c,r),f=a===`rtl`?d:u,p=a===`rtl`?u:d;switch(s.key){case`ArrowRight`:o===`horizontal`&&(s.stopPropagation(),s.preventDefault(),c[f].focus(),i&&c[f].click());break;case`ArrowLeft`:o===`horizontal`&&(s.stopPropagation(),s.preventDefault(),c[p].focus(),i&&c[p].click());break;case`ArrowUp`:o===`vertical`&&(s.stopPropagation(),s.preventDefault(),c[d].focus(),i&&c[d].click());break;case`ArrowDown`:o===`vertical`&&(s.stopPropagation(),s.preventDefault(),c[u].focus(),i&&c[u].click());break;case`Home`:s.stopPropagation(),s.preventDefault(),c[pe(-1,c,!1)]?.focus();break;case`End`:s.stopPropagation(),s.preventDefault(),c[fe(c.length,c,!1)]?.focus()}}}var[ge,_e]=_(`Progress.Root component was not found in tree`),B={root:`m_db6d6462`,section:`m_2242eb65`,"stripes-animation":`m_81a374bd`,"stripes-animation-vertical":`m_e0fb7a86`,label:`m_91e40b74`},V=oe(),H=M(e=>{let{classNames:t,className:n,style:r,styles:i,vars:a,...o}=k(`ProgressLabel`,null,e),s=_e();return(0,V.jsx)(N,{...s.getStyles(`label`,{className:n,style:r,classNames:t,styles:i}),...o})});H.classes=B,H.displayName=`@mantine/core/ProgressLabel`;var ve=b((e,{size:t,radius:n,transitionDuration:r})=>({root:{"--progress-size":g(t,`progress-size`),"--progress-radius":n===void 0?void 0:x(n),"--progress-transition-duration":typeof r==`number`?`${r}ms`:void 0}})),U=M(e=>{let t=k(`ProgressRoot`,null,e),{classNames:n,className:r,style:i,styles:a,unstyled:o,vars:s,autoContrast:c,transitionDuration:l,orientation:u,attributes:d,mod:f,...p}=t,m=w({name:`Progress`,classes:B,props:t,className:r,style:i,classNames:n,styles:a,unstyled:o,attributes:d,vars:s,varsResolver:ve});return(0,V.jsx)(ge,{value:{getStyles:m,autoContrast:c},children:(0,V.jsx)(N,{mod:[{orientation:u},f],...m(`root`),...p})})});U.classes=B,U.varsResolver=ve,U.displayName=`@mantine/core/ProgressRoot`;var ye={withAria:!0},W=M(e=>{let{classNames:t,className:n,style:r,styles:i,vars:a,value:o,withAria:s,color:c,striped:l,animated:u,mod:d,...f}=k(`ProgressSection`,ye,e),m=_e(),h=E(),g=s?{role:`progressbar`,"aria-valuemax":100,"aria-valuemin":0,"aria-valuenow":o,"aria-valuetext":`${o}%`}:{};return(0,V.jsx)(N,{...m.getStyles(`section`,{className:n,classNames:t,styles:i,style:r}),...f,...g,mod:[{striped:l||u,animated:u},d],__vars:{"--progress-section-size":`${o}%`,"--progress-section-color":S(c,h),"--progress-label-color":se(m.autoContrast,h)?p({color:c,theme:h,autoContrast:m.autoContrast}):void 0}})});W.classes=B,W.displayName=`@mantine/core/ProgressSection`;var G=M(e=>{let t=k(`Progress`,null,e),{value:n,classNames:r,styles:i,vars:a,color:o,striped:s,animated:c,"aria-label":l,...u}=t,{resolvedClassNames:d,resolvedStyles:f}=P({classNames:r,styles:i,props:t});return(0,V.jsx)(U,{classNames:d,styles:f,vars:a,...u,children:(0,V.jsx)(W,{value:n,color:o,striped:s,animated:c,"aria-label":l})})});G.classes=B,G.displayName=`@mantine/core/Progress`,G.Section=W,G.Root=U,G.Label=H;var[be,K]=_(`Tabs component was not found in the tree`),q={root:`m_89d60db1`,"list--default":`m_576c9d4`,list:`m_89d33d6d`,tab:`m_4ec4dce6`,panel:`m_b0c91715`,tabSection:`m_fc420b1f`,tabLabel:`m_42bbd1ae`,"tab--default":`m_539e827b`,"list--outline":`m_6772fbd5`,"tab--outline":`m_b59ab47c`,"tab--pills":`m_c3381914`},J=M(e=>{let t=k(`TabsList`,null,e),{children:n,className:r,grow:i,justify:a,classNames:o,styles:s,style:c,mod:l,...u}=t,d=K();return(0,V.jsx)(N,{...d.getStyles(`list`,{className:r,style:c,classNames:o,styles:s,props:t,variant:d.variant}),role:`tablist`,variant:d.variant,mod:[{grow:i,orientation:d.orientation,placement:d.orientation===`vertical`&&d.placement,inverted:d.inverted},l],"aria-orientation":d.orientation,__vars:{"--tabs-justify":a},...u,children:n})});J.classes=q,J.displayName=`@mantine/core/TabsList`;var Y=e(ae(),1),X=M(e=>{let t=k(`TabsPanel`,null,e),{children:n,className:r,value:i,classNames:a,styles:o,style:s,mod:c,keepMounted:l,...u}=t,d=ne(),f=K();(0,Y.useEffect)(()=>(f.setMountedPanel(i,!0),()=>{f.setMountedPanel(i,!1)}),[i]);let p=f.value===i,m=f.keepMounted||l,h=f.keepMountedMode!==`display-none`,g=m&&h&&d!==`test`?(0,V.jsx)(Y.Activity,{mode:p?`visible`:`hidden`,children:n}):m||p?n:null;return(0,V.jsx)(N,{...f.getStyles(`panel`,{className:r,classNames:a,styles:o,style:[s,p?void 0:{display:`none`}],props:t}),mod:[{orientation:f.orientation},c],role:`tabpanel`,id:f.getPanelId(i),"aria-labelledby":f.getTabId(i),...u,children:g})});X.classes=q,X.displayName=`@mantine/core/TabsPanel`;var Z=M(e=>{let t=k(`TabsTab`,null,e),{className:n,children:r,rightSection:i,leftSection:a,value:o,onClick:s,onKeyDown:c,disabled:l,color:u,style:d,classNames:f,styles:p,vars:m,mod:h,tabIndex:g,..._}=t,v=E(),{dir:y}=te(),b=K(),x=o===b.value,C=e=>{b.onChange(b.allowTabDeactivation&&o===b.value?null:o),s?.(e)},w={classNames:f,styles:p,props:t};return(0,V.jsxs)(ee,{...b.getStyles(`tab`,{className:n,style:d,variant:b.variant,...w}),disabled:l,unstyled:b.unstyled,variant:b.variant,mod:[{active:x,disabled:l,orientation:b.orientation,inverted:b.inverted,placement:b.orientation===`vertical`&&b.placement},h],role:`tab`,id:b.getTabId(o),"aria-selected":x,tabIndex:g===void 0?x||b.value===null?0:-1:g,"aria-controls":b.mountedPanels.current.has(o)?b.getPanelId(o):void 0,onClick:C,__vars:{"--tabs-color":u?S(u,v):void 0},onKeyDown:he({siblingSelector:`[role="tab"]`,parentSelector:`[role="tablist"]`,activateOnFocus:b.activateTabWithKeyboard,loop:b.loop,orientation:b.orientation||`horizontal`,dir:y,onKeyDown:c}),..._,children:[a&&(0,V.jsx)(`span`,{...b.getStyles(`tabSection`,w),"data-position":`left`,children:a}),r&&(0,V.jsx)(`span`,{...b.getStyles(`tabLabel`,w),children:r}),i&&(0,V.jsx)(`span`,{...b.getStyles(`tabSection`,w),"data-position":`right`,children:i})]})});Z.classes=q,Z.displayName=`@mantine/core/TabsTab`;var xe=`Tabs.Tab or Tabs.Panel component was rendered with invalid value or without value`,Se={keepMounted:!0,keepMountedMode:`activity`,orientation:`horizontal`,loop:!0,activateTabWithKeyboard:!0,variant:`default`,placement:`left`},Ce=b((e,{radius:t,color:n,autoContrast:r})=>({root:{"--tabs-radius":x(t),"--tabs-color":S(n,e),"--tabs-text-color":se(r,e)?p({color:n,theme:e,autoContrast:r}):void 0}})),Q=M(e=>{let t=k(`Tabs`,Se,e),{defaultValue:n,value:r,onChange:i,orientation:o,children:s,loop:c,id:l,activateTabWithKeyboard:u,allowTabDeactivation:d,variant:f,color:p,radius:m,inverted:h,placement:g,keepMounted:_,keepMountedMode:v,classNames:b,styles:x,unstyled:S,className:C,style:ee,vars:T,autoContrast:E,mod:te,attributes:D,...ne}=t,O=y(l),A=(0,Y.useRef)(new Set),j=a(),re=(0,Y.useCallback)((e,t)=>{let n=A.current;t&&!n.has(e)?(n.add(e),j()):!t&&n.has(e)&&(n.delete(e),j())},[]),[M,ie]=ce({value:r,defaultValue:n,finalValue:null,onChange:i}),P=w({name:`Tabs`,props:t,classes:q,className:C,style:ee,classNames:b,styles:x,unstyled:S,attributes:D,vars:T,varsResolver:Ce});return(0,V.jsx)(be,{value:{placement:g,value:M,orientation:o,id:O,loop:c,activateTabWithKeyboard:u,getTabId:de(`${O}-tab`,xe),getPanelId:de(`${O}-panel`,xe),onChange:ie,allowTabDeactivation:d,variant:f,color:p,radius:m,inverted:h,keepMounted:_,keepMountedMode:v,unstyled:S,getStyles:P,mountedPanels:A,setMountedPanel:re},children:(0,V.jsx)(N,{id:O,variant:f,mod:[{orientation:o,inverted:o===`horizontal`&&h,placement:o===`vertical`&&g},te],...P(`root`),...ne,children:s})})});Q.classes=q,Q.varsResolver=Ce,Q.displayName=`@mantine/core/Tabs`,Q.Tab=Z,Q.Panel=X,Q.List=J;var we=O(`
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
`),Te=O(`
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
`),Ee=O(`
  query BonusTemplateChoices {
    bonusTemplates {
      id
      name
      kind
      amount
      currency
    }
  }
`),De={additionalTypenames:[`User`,`Bonus`,`GamificationFacts`]};function Oe({externalId:e}){let[t,n]=(0,Y.useState)(!1),[r,i]=(0,Y.useState)(``),[a,o]=(0,Y.useState)(``),[c,l]=(0,Y.useState)(null),[{fetching:u},d]=T(we);async function f(t){t.preventDefault();let s=await d({externalId:e,amount:Number(r),reason:a},De),c=j(s.error,s.data?.adjustPoints.errors);if(c)return l(c);n(!1),i(``),o(``)}return(0,V.jsxs)(R,{opened:t,onChange:n,trapFocus:!0,position:`bottom-end`,withArrow:!0,children:[(0,V.jsx)(R.Target,{children:(0,V.jsx)(L,{variant:`default`,onClick:()=>{l(null),n(e=>!e)},children:`Adjust points`})}),(0,V.jsx)(R.Dropdown,{children:(0,V.jsx)(`form`,{onSubmit:f,children:(0,V.jsxs)(C,{gap:`xs`,w:260,children:[(0,V.jsx)(le,{label:`Points (negative to take away)`,value:r,onChange:i,required:!0,allowDecimal:!1}),(0,V.jsx)(s,{label:`Reason`,value:a,onChange:e=>o(e.currentTarget.value),required:!0}),(0,V.jsx)(A,{message:c}),(0,V.jsx)(L,{type:`submit`,loading:u,children:`Save the adjustment`})]})})})]})}function ke(){let e=new Uint8Array(16);return crypto.getRandomValues(e),Array.from(e,e=>e.toString(16).padStart(2,`0`)).join(``)}function Ae({externalId:e}){let[t,n]=(0,Y.useState)(!1),[r,i]=(0,Y.useState)(null),[a,o]=(0,Y.useState)(ke),[s,c]=(0,Y.useState)(null),[{data:l}]=D({query:Ee,pause:!t}),[{fetching:u},d]=T(Te);async function f(t){if(t.preventDefault(),!r)return c(`Choose a bonus template.`);let i=await d({externalId:e,templateId:r,requestId:a},De),o=j(i.error,i.data?.grantBonus.errors);if(o)return c(o);n(!1)}return(0,V.jsxs)(R,{opened:t,onChange:n,trapFocus:!0,position:`bottom-end`,withArrow:!0,children:[(0,V.jsx)(R.Target,{children:(0,V.jsx)(L,{variant:`default`,onClick:()=>{c(null),o(ke()),n(e=>!e)},children:`Grant a bonus`})}),(0,V.jsx)(R.Dropdown,{children:(0,V.jsx)(`form`,{onSubmit:f,children:(0,V.jsxs)(C,{gap:`xs`,w:280,children:[(0,V.jsx)(ue,{label:`Bonus template`,data:(l?.bonusTemplates??[]).map(e=>({value:e.id,label:`${e.name} (${e.kind} ${e.amount}${e.currency?` ${e.currency}`:``})`})),value:r,onChange:i,comboboxProps:{withinPortal:!1}}),(0,V.jsx)(A,{message:s}),(0,V.jsx)(L,{type:`submit`,loading:u,children:`Grant it`})]})})})]})}var je=O(`
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
`);function Me(){let{userId:e=``}=o(),{canEdit:a}=d(),[{data:s,fetching:p,error:g}]=D({query:je,variables:{id:e}});if(p&&!s)return(0,V.jsx)(re,{});let _=s?.user;if(!_)return(0,V.jsx)(A,{message:j(g)??`There is no user with this id.`});let y=_.gamification,b=Object.entries(_.attributes??{});return(0,V.jsxs)(C,{gap:`sm`,children:[(0,V.jsxs)(c,{gap:`xs`,children:[(0,V.jsx)(t,{component:l,to:`/users`,size:`sm`,children:`Users`}),(0,V.jsx)(v,{size:`sm`,c:`dimmed`,children:`/`})]}),(0,V.jsxs)(c,{justify:`space-between`,align:`flex-start`,children:[(0,V.jsxs)(C,{gap:2,children:[(0,V.jsx)(f,{order:2,size:`h3`,children:_.username??_.externalId}),(0,V.jsxs)(v,{size:`sm`,children:[`External id `,_.externalId,` · `,_.email??`no email`,` · `,_.phone??`no phone`,` · `,_.timezone??`server time zone`,` · since `,n(_.createdAt)]}),_.optOuts.length?(0,V.jsxs)(v,{size:`sm`,children:[`Opted out of: `,_.optOuts.join(`, `)]}):null]}),a?(0,V.jsxs)(c,{gap:`xs`,align:`flex-start`,children:[(0,V.jsx)(Oe,{externalId:_.externalId}),(0,V.jsx)(Ae,{externalId:_.externalId})]}):null]}),(0,V.jsxs)(h,{children:[(0,V.jsx)(h.Col,{span:{base:12,md:4},children:(0,V.jsxs)(i,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,V.jsx)(f,{order:3,size:`h5`,children:`Gamification`}),(0,V.jsxs)(v,{size:`sm`,"data-testid":`points`,children:[r(y.points),` points · level `,y.level?`${y.level.name} (from ${y.level.threshold})`:`none`]}),(0,V.jsxs)(c,{gap:4,mt:4,children:[y.badges.map(e=>(0,V.jsx)(u,{variant:`light`,title:`awarded ${n(e.awardedAt)}`,styles:{label:{color:`var(--mantine-color-dark-8)`}},children:e.badge.name},e.badge.id)),y.badges.length?null:(0,V.jsx)(v,{size:`xs`,children:`No badge yet.`})]}),y.missions.map(e=>(0,V.jsxs)(C,{gap:0,mt:6,children:[(0,V.jsxs)(v,{size:`xs`,children:[e.mission.name,`: `,r(e.progress),` / `,r(e.target),e.completedAt?` · done ${n(e.completedAt)}`:``]}),(0,V.jsx)(G,{value:Math.min(100,e.progress/(e.target||1)*100),size:`sm`,"aria-label":`${e.mission.name} progress`})]},e.mission.id))]})}),(0,V.jsx)(h.Col,{span:{base:12,md:4},children:(0,V.jsxs)(i,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,V.jsx)(f,{order:3,size:`h5`,children:`Financial`}),(0,V.jsxs)(v,{size:`sm`,children:[_.financial.depositCount,` deposits, `,r(_.financial.depositTotal,2),` in all`]}),(0,V.jsxs)(v,{size:`sm`,children:[`Withdrawn `,r(_.financial.withdrawalTotal,2)]}),(0,V.jsxs)(v,{size:`sm`,children:[`Last deposit `,n(_.financial.lastDepositAt)]})]})}),(0,V.jsx)(h.Col,{span:{base:12,md:4},children:(0,V.jsxs)(i,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,V.jsx)(f,{order:3,size:`h5`,children:`Attributes`}),b.length?b.map(([e,t])=>(0,V.jsxs)(v,{size:`sm`,children:[e,`: `,(0,V.jsx)(m,{children:JSON.stringify(t)})]},e)):(0,V.jsx)(v,{size:`sm`,children:`None.`})]})})]}),(0,V.jsxs)(Q,{defaultValue:`journeys`,children:[(0,V.jsxs)(Q.List,{children:[(0,V.jsxs)(Q.Tab,{value:`journeys`,children:[`Journeys (`,_.entries.totalCount,`)`]}),(0,V.jsxs)(Q.Tab,{value:`events`,children:[`Events (`,_.events.totalCount,`)`]}),(0,V.jsxs)(Q.Tab,{value:`communications`,children:[`Communications (`,_.communications.totalCount,`)`]}),(0,V.jsxs)(Q.Tab,{value:`bonuses`,children:[`Bonuses (`,_.bonuses.length,`)`]})]}),(0,V.jsxs)(Q.Panel,{value:`journeys`,pt:`xs`,children:[(0,V.jsx)($,{shown:_.entries.edges.length,total:_.entries.totalCount,what:`entries`}),(0,V.jsxs)(F,{striped:!0,children:[(0,V.jsx)(F.Thead,{children:(0,V.jsxs)(F.Tr,{children:[(0,V.jsx)(F.Th,{children:`Journey`}),(0,V.jsx)(F.Th,{children:`Status`}),(0,V.jsx)(F.Th,{children:`Step now`}),(0,V.jsx)(F.Th,{children:`Entered`}),(0,V.jsx)(F.Th,{children:`Converted`}),(0,V.jsx)(F.Th,{children:`Ended`}),(0,V.jsx)(F.Th,{children:`Path`})]})}),(0,V.jsx)(F.Tbody,{children:_.entries.edges.map(({node:e})=>(0,V.jsxs)(F.Tr,{children:[(0,V.jsxs)(F.Td,{children:[(0,V.jsx)(t,{component:l,to:`/journeys/${encodeURIComponent(e.journey.id)}`,size:`sm`,children:e.journey.name}),(0,V.jsxs)(v,{size:`xs`,c:`dimmed`,children:[`round `,e.round,e.inControlGroup?` · control group`:``]})]}),(0,V.jsx)(F.Td,{children:(0,V.jsx)(I,{status:e.status})}),(0,V.jsx)(F.Td,{children:e.currentStepId??`—`}),(0,V.jsx)(F.Td,{children:n(e.enteredAt)}),(0,V.jsx)(F.Td,{children:n(e.convertedAt)}),(0,V.jsx)(F.Td,{children:n(e.stoppedAt)}),(0,V.jsx)(F.Td,{children:(0,V.jsx)(t,{component:l,size:`sm`,to:`/journeys/${encodeURIComponent(e.journey.id)}/entries/${encodeURIComponent(e.id)}`,"aria-label":`Open path in ${e.journey.name}, round ${e.round}`,children:`Open path`})})]},e.id))})]}),_.entries.totalCount?null:(0,V.jsx)(ie,{children:`Never entered a journey.`})]}),(0,V.jsxs)(Q.Panel,{value:`events`,pt:`xs`,children:[(0,V.jsx)($,{shown:_.events.edges.length,total:_.events.totalCount,what:`events`}),(0,V.jsxs)(F,{striped:!0,children:[(0,V.jsx)(F.Thead,{children:(0,V.jsxs)(F.Tr,{children:[(0,V.jsx)(F.Th,{children:`When`}),(0,V.jsx)(F.Th,{children:`Event`}),(0,V.jsx)(F.Th,{children:`Properties`})]})}),(0,V.jsx)(F.Tbody,{children:_.events.edges.map(({node:e})=>(0,V.jsxs)(F.Tr,{children:[(0,V.jsx)(F.Td,{children:n(e.occurredAt)}),(0,V.jsx)(F.Td,{children:e.name}),(0,V.jsx)(F.Td,{children:(0,V.jsx)(m,{children:JSON.stringify(e.properties)})})]},e.id))})]})]}),(0,V.jsxs)(Q.Panel,{value:`communications`,pt:`xs`,children:[(0,V.jsx)($,{shown:_.communications.edges.length,total:_.communications.totalCount,what:`messages`}),(0,V.jsxs)(F,{striped:!0,children:[(0,V.jsx)(F.Thead,{children:(0,V.jsxs)(F.Tr,{children:[(0,V.jsx)(F.Th,{children:`Queued`}),(0,V.jsx)(F.Th,{children:`Resource`}),(0,V.jsx)(F.Th,{children:`Journey`}),(0,V.jsx)(F.Th,{children:`Status`}),(0,V.jsx)(F.Th,{children:`Opened`}),(0,V.jsx)(F.Th,{children:`Clicked`})]})}),(0,V.jsx)(F.Tbody,{children:_.communications.edges.map(({node:e})=>(0,V.jsxs)(F.Tr,{children:[(0,V.jsx)(F.Td,{children:n(e.queuedAt)}),(0,V.jsxs)(F.Td,{children:[e.resource.name,` (`,e.channel,`)`]}),(0,V.jsx)(F.Td,{children:e.journey?.name??`—`}),(0,V.jsx)(F.Td,{children:(0,V.jsx)(I,{status:e.status})}),(0,V.jsx)(F.Td,{children:n(e.firstOpenAt)}),(0,V.jsx)(F.Td,{children:n(e.firstClickAt)})]},e.id))})]})]}),(0,V.jsx)(Q.Panel,{value:`bonuses`,pt:`xs`,children:(0,V.jsxs)(F,{striped:!0,children:[(0,V.jsx)(F.Thead,{children:(0,V.jsxs)(F.Tr,{children:[(0,V.jsx)(F.Th,{children:`Created`}),(0,V.jsx)(F.Th,{children:`Bonus`}),(0,V.jsx)(F.Th,{children:`Status`}),(0,V.jsx)(F.Th,{children:`Granted`})]})}),(0,V.jsx)(F.Tbody,{children:_.bonuses.map(e=>(0,V.jsxs)(F.Tr,{children:[(0,V.jsx)(F.Td,{children:n(e.createdAt)}),(0,V.jsxs)(F.Td,{children:[e.template.name,` (`,e.template.kind,` `,r(e.template.amount,2),` `,e.template.currency??``,`)`]}),(0,V.jsxs)(F.Td,{children:[(0,V.jsx)(I,{status:e.status}),e.error?(0,V.jsx)(v,{size:`xs`,children:e.error}):null]}),(0,V.jsx)(F.Td,{children:n(e.grantedAt)})]},e.id))})]})})]})]})}function $({shown:e,total:t,what:n}){return e>=t?null:(0,V.jsxs)(v,{size:`xs`,c:`dimmed`,mb:4,children:[`The latest `,e,` of `,t.toLocaleString(`en-GB`),` `,n,`.`]})}export{Me as default};