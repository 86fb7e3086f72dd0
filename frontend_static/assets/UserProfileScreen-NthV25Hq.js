import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,i as n,n as r}from"./format-B6DqAFml.js";import{c as i,d as a,g as o,m as s,n as c,p as l,t as u,u as d,v as f}from"./app-DqfJQ3Wj.js";import{t as p}from"./Code-Bshu5CVk.js";import{t as m}from"./Grid-QKB7vMH1.js";import{At as h,It as g,Jt as _,K as v,Kt as y,W as b,Xt as x,_t as S,d as C,dt as w,f as T,gt as E,i as D,lt as O,n as k,o as A,r as j,t as M,yt as N}from"./feedback-Bum3lcar.js";import{i as ee}from"./InputBase-BKgkP784.js";import{n as te,t as ne}from"./jsx-runtime-B5GVbOd8.js";import{t as P}from"./get-auto-contrast-value-BTPwFOS2.js";import{t as F}from"./Table-QEkk7Vlz.js";import{t as I}from"./Tabs-DUe8epDM.js";import{t as L}from"./StatusBadge-C7YmFGMz.js";import{t as R}from"./Button-Tltf2vvg.js";import{t as re}from"./NumberInput-CpJPqYCy.js";import{f as z,t as ie}from"./Select-DqzlK-qD.js";var[ae,B]=x(`Progress.Root component was not found in tree`),V={root:`m_db6d6462`,section:`m_2242eb65`,"stripes-animation":`m_81a374bd`,"stripes-animation-vertical":`m_e0fb7a86`,label:`m_91e40b74`},H=ne(),U=w(e=>{let{classNames:t,className:n,style:r,styles:i,vars:a,...o}=S(`ProgressLabel`,null,e),s=B();return(0,H.jsx)(O,{...s.getStyles(`label`,{className:n,style:r,classNames:t,styles:i}),...o})});U.classes=V,U.displayName=`@mantine/core/ProgressLabel`;var W=g((e,{size:t,radius:n,transitionDuration:r})=>({root:{"--progress-size":_(t,`progress-size`),"--progress-radius":n===void 0?void 0:y(n),"--progress-transition-duration":typeof r==`number`?`${r}ms`:void 0}})),G=w(e=>{let t=S(`ProgressRoot`,null,e),{classNames:n,className:r,style:i,styles:a,unstyled:o,vars:s,autoContrast:c,transitionDuration:l,orientation:u,attributes:d,mod:f,...p}=t,m=E({name:`Progress`,classes:V,props:t,className:r,style:i,classNames:n,styles:a,unstyled:o,attributes:d,vars:s,varsResolver:W});return(0,H.jsx)(ae,{value:{getStyles:m,autoContrast:c},children:(0,H.jsx)(O,{mod:[{orientation:u},f],...m(`root`),...p})})});G.classes=V,G.varsResolver=W,G.displayName=`@mantine/core/ProgressRoot`;var K={withAria:!0},q=w(e=>{let{classNames:t,className:n,style:r,styles:i,vars:a,value:o,withAria:s,color:c,striped:l,animated:u,mod:d,...p}=S(`ProgressSection`,K,e),m=B(),g=N(),_=s?{role:`progressbar`,"aria-valuemax":100,"aria-valuemin":0,"aria-valuenow":o,"aria-valuetext":`${o}%`}:{};return(0,H.jsx)(O,{...m.getStyles(`section`,{className:n,classNames:t,styles:i,style:r}),...p,..._,mod:[{striped:l||u,animated:u},d],__vars:{"--progress-section-size":`${o}%`,"--progress-section-color":h(c,g),"--progress-label-color":P(m.autoContrast,g)?f({color:c,theme:g,autoContrast:m.autoContrast}):void 0}})});q.classes=V,q.displayName=`@mantine/core/ProgressSection`;var J=w(e=>{let t=S(`Progress`,null,e),{value:n,classNames:r,styles:i,vars:a,color:o,striped:s,animated:c,"aria-label":l,...u}=t,{resolvedClassNames:d,resolvedStyles:f}=ee({classNames:r,styles:i,props:t});return(0,H.jsx)(G,{classNames:d,styles:f,vars:a,...u,children:(0,H.jsx)(q,{value:n,color:o,striped:s,animated:c,"aria-label":l})})});J.classes=V,J.displayName=`@mantine/core/Progress`,J.Section=q,J.Root=G,J.Label=U;var Y=e(te(),1),oe=D(`
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
`),se=D(`
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
`),ce=D(`
  query BonusTemplateChoices {
    bonusTemplates {
      id
      name
      kind
      amount
      currency
    }
  }
`),X={additionalTypenames:[`User`,`Bonus`,`GamificationFacts`]};function Z({externalId:e}){let[t,n]=(0,Y.useState)(!1),[r,i]=(0,Y.useState)(``),[o,s]=(0,Y.useState)(``),[c,l]=(0,Y.useState)(null),[{fetching:u},d]=C(oe);async function f(t){t.preventDefault();let a=await d({externalId:e,amount:Number(r),reason:o},X),c=A(a.error,a.data?.adjustPoints.errors);if(c)return l(c);n(!1),i(``),s(``)}return(0,H.jsxs)(z,{opened:t,onChange:n,trapFocus:!0,position:`bottom-end`,withArrow:!0,children:[(0,H.jsx)(z.Target,{children:(0,H.jsx)(R,{variant:`default`,onClick:()=>{l(null),n(e=>!e)},children:`Adjust points`})}),(0,H.jsx)(z.Dropdown,{children:(0,H.jsx)(`form`,{onSubmit:f,children:(0,H.jsxs)(b,{gap:`xs`,w:260,children:[(0,H.jsx)(re,{label:`Points (negative to take away)`,value:r,onChange:i,required:!0,allowDecimal:!1}),(0,H.jsx)(a,{label:`Reason`,value:o,onChange:e=>s(e.currentTarget.value),required:!0}),(0,H.jsx)(k,{message:c}),(0,H.jsx)(R,{type:`submit`,loading:u,children:`Save the adjustment`})]})})})]})}function Q(){let e=new Uint8Array(16);return crypto.getRandomValues(e),Array.from(e,e=>e.toString(16).padStart(2,`0`)).join(``)}function le({externalId:e}){let[t,n]=(0,Y.useState)(!1),[r,i]=(0,Y.useState)(null),[a,o]=(0,Y.useState)(Q),[s,c]=(0,Y.useState)(null),[{data:l}]=T({query:ce,pause:!t}),[{fetching:u},d]=C(se);async function f(t){if(t.preventDefault(),!r)return c(`Choose a bonus template.`);let i=await d({externalId:e,templateId:r,requestId:a},X),o=A(i.error,i.data?.grantBonus.errors);if(o)return c(o);n(!1)}return(0,H.jsxs)(z,{opened:t,onChange:n,trapFocus:!0,position:`bottom-end`,withArrow:!0,children:[(0,H.jsx)(z.Target,{children:(0,H.jsx)(R,{variant:`default`,onClick:()=>{c(null),o(Q()),n(e=>!e)},children:`Grant a bonus`})}),(0,H.jsx)(z.Dropdown,{children:(0,H.jsx)(`form`,{onSubmit:f,children:(0,H.jsxs)(b,{gap:`xs`,w:280,children:[(0,H.jsx)(ie,{label:`Bonus template`,data:(l?.bonusTemplates??[]).map(e=>({value:e.id,label:`${e.name} (${e.kind} ${e.amount}${e.currency?` ${e.currency}`:``})`})),value:r,onChange:i,comboboxProps:{withinPortal:!1}}),(0,H.jsx)(k,{message:s}),(0,H.jsx)(R,{type:`submit`,loading:u,children:`Grant it`})]})})})]})}var ue=D(`
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
`);function de(){let{userId:e=``}=i(),{canEdit:a}=u(),[{data:f,fetching:h,error:g}]=T({query:ue,variables:{id:e}});if(h&&!f)return(0,H.jsx)(j,{});let _=f?.user;if(!_)return(0,H.jsx)(k,{message:A(g)??`There is no user with this id.`});let y=_.gamification,x=Object.entries(_.attributes??{});return(0,H.jsxs)(b,{gap:`sm`,children:[(0,H.jsxs)(s,{gap:`xs`,children:[(0,H.jsx)(t,{component:c,to:`/users`,size:`sm`,children:`Users`}),(0,H.jsx)(v,{size:`sm`,c:`dimmed`,children:`/`})]}),(0,H.jsxs)(s,{justify:`space-between`,align:`flex-start`,children:[(0,H.jsxs)(b,{gap:2,children:[(0,H.jsx)(d,{order:2,size:`h3`,children:_.username??_.externalId}),(0,H.jsxs)(v,{size:`sm`,children:[`External id `,_.externalId,` · `,_.email??`no email`,` · `,_.phone??`no phone`,` · `,_.timezone??`server time zone`,` · since `,n(_.createdAt)]}),_.optOuts.length?(0,H.jsxs)(v,{size:`sm`,children:[`Opted out of: `,_.optOuts.join(`, `)]}):null]}),a?(0,H.jsxs)(s,{gap:`xs`,align:`flex-start`,children:[(0,H.jsx)(Z,{externalId:_.externalId}),(0,H.jsx)(le,{externalId:_.externalId})]}):null]}),(0,H.jsxs)(m,{children:[(0,H.jsx)(m.Col,{span:{base:12,md:4},children:(0,H.jsxs)(o,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,H.jsx)(d,{order:3,size:`h5`,children:`Gamification`}),(0,H.jsxs)(v,{size:`sm`,"data-testid":`points`,children:[r(y.points),` points · level `,y.level?`${y.level.name} (from ${y.level.threshold})`:`none`]}),(0,H.jsxs)(s,{gap:4,mt:4,children:[y.badges.map(e=>(0,H.jsx)(l,{variant:`light`,title:`awarded ${n(e.awardedAt)}`,styles:{label:{color:`var(--mantine-color-dark-8)`}},children:e.badge.name},e.badge.id)),y.badges.length?null:(0,H.jsx)(v,{size:`xs`,children:`No badge yet.`})]}),y.missions.map(e=>(0,H.jsxs)(b,{gap:0,mt:6,children:[(0,H.jsxs)(v,{size:`xs`,children:[e.mission.name,`: `,r(e.progress),` / `,r(e.target),e.completedAt?` · done ${n(e.completedAt)}`:``]}),(0,H.jsx)(J,{value:Math.min(100,e.progress/(e.target||1)*100),size:`sm`,"aria-label":`${e.mission.name} progress`})]},e.mission.id))]})}),(0,H.jsx)(m.Col,{span:{base:12,md:4},children:(0,H.jsxs)(o,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,H.jsx)(d,{order:3,size:`h5`,children:`Financial`}),(0,H.jsxs)(v,{size:`sm`,children:[_.financial.depositCount,` deposits, `,r(_.financial.depositTotal,2),` in all`]}),(0,H.jsxs)(v,{size:`sm`,children:[`Withdrawn `,r(_.financial.withdrawalTotal,2)]}),(0,H.jsxs)(v,{size:`sm`,children:[`Last deposit `,n(_.financial.lastDepositAt)]})]})}),(0,H.jsx)(m.Col,{span:{base:12,md:4},children:(0,H.jsxs)(o,{withBorder:!0,p:`sm`,h:`100%`,children:[(0,H.jsx)(d,{order:3,size:`h5`,children:`Attributes`}),x.length?x.map(([e,t])=>(0,H.jsxs)(v,{size:`sm`,children:[e,`: `,(0,H.jsx)(p,{children:JSON.stringify(t)})]},e)):(0,H.jsx)(v,{size:`sm`,children:`None.`})]})})]}),(0,H.jsxs)(I,{defaultValue:`journeys`,children:[(0,H.jsxs)(I.List,{children:[(0,H.jsxs)(I.Tab,{value:`journeys`,children:[`Journeys (`,_.entries.totalCount,`)`]}),(0,H.jsxs)(I.Tab,{value:`events`,children:[`Events (`,_.events.totalCount,`)`]}),(0,H.jsxs)(I.Tab,{value:`communications`,children:[`Communications (`,_.communications.totalCount,`)`]}),(0,H.jsxs)(I.Tab,{value:`bonuses`,children:[`Bonuses (`,_.bonuses.length,`)`]})]}),(0,H.jsxs)(I.Panel,{value:`journeys`,pt:`xs`,children:[(0,H.jsx)($,{shown:_.entries.edges.length,total:_.entries.totalCount,what:`entries`}),(0,H.jsxs)(F,{striped:!0,children:[(0,H.jsx)(F.Thead,{children:(0,H.jsxs)(F.Tr,{children:[(0,H.jsx)(F.Th,{children:`Journey`}),(0,H.jsx)(F.Th,{children:`Status`}),(0,H.jsx)(F.Th,{children:`Step now`}),(0,H.jsx)(F.Th,{children:`Entered`}),(0,H.jsx)(F.Th,{children:`Converted`}),(0,H.jsx)(F.Th,{children:`Ended`}),(0,H.jsx)(F.Th,{children:`Path`})]})}),(0,H.jsx)(F.Tbody,{children:_.entries.edges.map(({node:e})=>(0,H.jsxs)(F.Tr,{children:[(0,H.jsxs)(F.Td,{children:[(0,H.jsx)(t,{component:c,to:`/journeys/${encodeURIComponent(e.journey.id)}`,size:`sm`,children:e.journey.name}),(0,H.jsxs)(v,{size:`xs`,c:`dimmed`,children:[`round `,e.round,e.inControlGroup?` · control group`:``]})]}),(0,H.jsx)(F.Td,{children:(0,H.jsx)(L,{status:e.status})}),(0,H.jsx)(F.Td,{children:e.currentStepId??`—`}),(0,H.jsx)(F.Td,{children:n(e.enteredAt)}),(0,H.jsx)(F.Td,{children:n(e.convertedAt)}),(0,H.jsx)(F.Td,{children:n(e.stoppedAt)}),(0,H.jsx)(F.Td,{children:(0,H.jsx)(t,{component:c,size:`sm`,to:`/journeys/${encodeURIComponent(e.journey.id)}/entries/${encodeURIComponent(e.id)}`,"aria-label":`Open path in ${e.journey.name}, round ${e.round}`,children:`Open path`})})]},e.id))})]}),_.entries.totalCount?null:(0,H.jsx)(M,{children:`Never entered a journey.`})]}),(0,H.jsxs)(I.Panel,{value:`events`,pt:`xs`,children:[(0,H.jsx)($,{shown:_.events.edges.length,total:_.events.totalCount,what:`events`}),(0,H.jsxs)(F,{striped:!0,children:[(0,H.jsx)(F.Thead,{children:(0,H.jsxs)(F.Tr,{children:[(0,H.jsx)(F.Th,{children:`When`}),(0,H.jsx)(F.Th,{children:`Event`}),(0,H.jsx)(F.Th,{children:`Properties`})]})}),(0,H.jsx)(F.Tbody,{children:_.events.edges.map(({node:e})=>(0,H.jsxs)(F.Tr,{children:[(0,H.jsx)(F.Td,{children:n(e.occurredAt)}),(0,H.jsx)(F.Td,{children:e.name}),(0,H.jsx)(F.Td,{children:(0,H.jsx)(p,{children:JSON.stringify(e.properties)})})]},e.id))})]})]}),(0,H.jsxs)(I.Panel,{value:`communications`,pt:`xs`,children:[(0,H.jsx)($,{shown:_.communications.edges.length,total:_.communications.totalCount,what:`messages`}),(0,H.jsxs)(F,{striped:!0,children:[(0,H.jsx)(F.Thead,{children:(0,H.jsxs)(F.Tr,{children:[(0,H.jsx)(F.Th,{children:`Queued`}),(0,H.jsx)(F.Th,{children:`Resource`}),(0,H.jsx)(F.Th,{children:`Journey`}),(0,H.jsx)(F.Th,{children:`Status`}),(0,H.jsx)(F.Th,{children:`Opened`}),(0,H.jsx)(F.Th,{children:`Clicked`})]})}),(0,H.jsx)(F.Tbody,{children:_.communications.edges.map(({node:e})=>(0,H.jsxs)(F.Tr,{children:[(0,H.jsx)(F.Td,{children:n(e.queuedAt)}),(0,H.jsxs)(F.Td,{children:[e.resource.name,` (`,e.channel,`)`]}),(0,H.jsx)(F.Td,{children:e.journey?.name??`—`}),(0,H.jsx)(F.Td,{children:(0,H.jsx)(L,{status:e.status})}),(0,H.jsx)(F.Td,{children:n(e.firstOpenAt)}),(0,H.jsx)(F.Td,{children:n(e.firstClickAt)})]},e.id))})]})]}),(0,H.jsx)(I.Panel,{value:`bonuses`,pt:`xs`,children:(0,H.jsxs)(F,{striped:!0,children:[(0,H.jsx)(F.Thead,{children:(0,H.jsxs)(F.Tr,{children:[(0,H.jsx)(F.Th,{children:`Created`}),(0,H.jsx)(F.Th,{children:`Bonus`}),(0,H.jsx)(F.Th,{children:`Status`}),(0,H.jsx)(F.Th,{children:`Granted`})]})}),(0,H.jsx)(F.Tbody,{children:_.bonuses.map(e=>(0,H.jsxs)(F.Tr,{children:[(0,H.jsx)(F.Td,{children:n(e.createdAt)}),(0,H.jsxs)(F.Td,{children:[e.template.name,` (`,e.template.kind,` `,r(e.template.amount,2),` `,e.template.currency??``,`)`]}),(0,H.jsxs)(F.Td,{children:[(0,H.jsx)(L,{status:e.status}),e.error?(0,H.jsx)(v,{size:`xs`,children:e.error}):null]}),(0,H.jsx)(F.Td,{children:n(e.grantedAt)})]},e.id))})]})})]})]})}function $({shown:e,total:t,what:n}){return e>=t?null:(0,H.jsxs)(v,{size:`xs`,c:`dimmed`,mb:4,children:[`The latest `,e,` of `,t.toLocaleString(`en-GB`),` `,n,`.`]})}export{de as default};