const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/JourneyGraph-CQG2Pb1d.js","assets/rolldown-runtime-QQ38H6s1.js","assets/preload-helper-CHNGSWiG.js","assets/with-selector-6usEY13x.js","assets/definition-DmgXP3xy.js","assets/JourneyGraph-DrepRAnx.css"])))=>i.map(i=>d[i]);
import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{A as t,C as n,E as r,F as i,T as a,_ as o,a as s,c,d as l,i as u,l as d,n as f,o as p,r as m,x as h,y as g}from"./app-D8SZ24Iq.js";import{a as _,i as v,t as y}from"./format-D0bW2KZo.js";import{t as b}from"./Grid-kbFPzXEU.js";import{t as x}from"./Table-Dc0zuCdQ.js";import{D as S,T as C,t as w}from"./preload-helper-CHNGSWiG.js";import{n as T}from"./JourneyActions-DeKhoU8l.js";import{t as E}from"./StatusBadge-DM3SEpfk.js";import{n as D}from"./JourneyScreen-DzaMFOVj.js";import{RUNNING as O}from"./StepEntriesDrawer-V2rLfF3S.js";var k=e(S(),1),A=C(),j=(0,k.lazy)(()=>w(()=>import(`./JourneyGraph-CQG2Pb1d.js`).then(e=>({default:e.JourneyGraph})),__vite__mapDeps([0,1,2,3,4,5]))),M=s(`
  query EntryDetails($id: ID!) {
    entry(id: $id) {
      id
      status
      round
      version
      inControlGroup
      enteredAt
      convertedAt
      stoppedAt
      stopReason
      currentStepId
      wakeAt
      blockedReason
      payload
      progress {
        name
        step
        reachedAt
      }
      user {
        id
        externalId
        username
      }
      journey {
        id
        versions {
          version
          definition
        }
      }
      steps {
        stepId
        kind
        name
        enteredAt
        leftAt
        outcome
        detail
      }
      communications {
        id
        channel
        status
        error
        queuedAt
        firstOpenAt
        firstClickAt
        resource {
          id
          name
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
        }
      }
    }
  }
`);function N({journey:e}){let{entryId:s=``}=o(),{canEdit:S}=u(),[{data:C,fetching:w,error:N}]=d({query:M,variables:{id:s}}),[P,F]=(0,k.useState)(!1),[I,L]=(0,k.useState)(null),[R,z]=c(D),B=C?.entry,V=(0,k.useMemo)(()=>B?{visited:new Set(B.steps.filter(e=>e.kind!==`progress`).map(e=>e.stepId)),current:B.currentStepId}:void 0,[B]);if(w&&!C)return(0,A.jsx)(m,{});if(!B)return(0,A.jsx)(f,{message:p(N)??`There is no entry with this id.`});let H=B.journey.versions.find(e=>e.version===B.version)?.definition??e.definition;async function U(){let e=await z({id:s,reason:`stopped by an operator`},{additionalTypenames:[`Entry`]}),t=p(e.error,e.data?.stopEntry.errors);if(t)return L(t);F(!1)}return(0,A.jsxs)(h,{gap:`sm`,children:[(0,A.jsxs)(t,{justify:`space-between`,children:[(0,A.jsxs)(t,{gap:`sm`,children:[(0,A.jsxs)(g,{order:3,size:`h4`,children:[`Entry of`,` `,(0,A.jsx)(_,{component:l,to:`/users/${encodeURIComponent(B.user.id)}`,children:B.user.username??B.user.externalId}),` `,`(round `,B.round,`, version `,B.version,`)`]}),(0,A.jsx)(E,{status:B.status})]}),(0,A.jsxs)(t,{gap:`xs`,children:[(0,A.jsx)(n,{variant:`default`,onClick:()=>y(`entry-${B.user.externalId}-round-${B.round}.json`,B),children:`Download the entry`}),S&&O.has(B.status)?(0,A.jsx)(n,{color:`red`,variant:`light`,onClick:()=>{L(null),F(!0)},children:`Stop this entry`}):null]})]}),B.blockedReason?(0,A.jsx)(r,{color:`yellow`,title:`Why it is not moving`,"data-testid":`blocked-reason`,styles:{title:{color:`var(--mantine-color-dark-8)`}},children:B.blockedReason}):null,(0,A.jsxs)(b,{children:[(0,A.jsx)(b.Col,{span:{base:12,lg:5},children:(0,A.jsxs)(h,{gap:`xs`,children:[(0,A.jsxs)(i,{withBorder:!0,p:`xs`,children:[(0,A.jsxs)(a,{size:`sm`,children:[`Entered `,v(B.enteredAt)]}),(0,A.jsxs)(a,{size:`sm`,children:[`Converted `,v(B.convertedAt)]}),(0,A.jsxs)(a,{size:`sm`,children:[`Ended `,v(B.stoppedAt),B.stopReason?` (${B.stopReason})`:``]}),(0,A.jsxs)(a,{size:`sm`,children:[`Step now: `,B.currentStepId??`—`,`; wakes `,v(B.wakeAt)]}),(0,A.jsxs)(a,{size:`sm`,children:[`Progress: `,B.progress.name,` (reached `,v(B.progress.reachedAt),`)`]}),(0,A.jsxs)(a,{size:`sm`,children:[`Control group: `,B.inControlGroup?`yes`:`no`]})]}),(0,A.jsxs)(x,{striped:!0,"aria-label":`Steps taken`,children:[(0,A.jsx)(x.Thead,{children:(0,A.jsxs)(x.Tr,{children:[(0,A.jsx)(x.Th,{children:`Step`}),(0,A.jsx)(x.Th,{children:`Outcome`}),(0,A.jsx)(x.Th,{children:`When`})]})}),(0,A.jsx)(x.Tbody,{children:B.steps.map((e,t)=>(0,A.jsxs)(x.Tr,{"data-testid":`entry-step`,children:[(0,A.jsxs)(x.Td,{children:[e.kind===`progress`?`Progress status`:e.name??e.stepId,(0,A.jsx)(a,{size:`xs`,c:`dimmed`,children:e.kind===`progress`?`moved up the ladder`:e.kind})]}),(0,A.jsxs)(x.Td,{children:[e.outcome,e.detail?(0,A.jsx)(a,{size:`xs`,children:e.detail}):null]}),(0,A.jsxs)(x.Td,{children:[(0,A.jsx)(a,{size:`xs`,children:v(e.enteredAt)}),e.leftAt?(0,A.jsxs)(a,{size:`xs`,children:[`left `,v(e.leftAt)]}):null]})]},t))})]}),B.communications.length?(0,A.jsxs)(x,{"aria-label":`Messages of this entry`,children:[(0,A.jsx)(x.Thead,{children:(0,A.jsxs)(x.Tr,{children:[(0,A.jsx)(x.Th,{children:`Message`}),(0,A.jsx)(x.Th,{children:`Status`}),(0,A.jsx)(x.Th,{children:`Opened / clicked`})]})}),(0,A.jsx)(x.Tbody,{children:B.communications.map(e=>(0,A.jsxs)(x.Tr,{children:[(0,A.jsxs)(x.Td,{children:[e.resource.name,` (`,e.channel,`)`]}),(0,A.jsxs)(x.Td,{children:[(0,A.jsx)(E,{status:e.status}),e.error?(0,A.jsx)(a,{size:`xs`,children:e.error}):null]}),(0,A.jsxs)(x.Td,{children:[(0,A.jsx)(a,{size:`xs`,children:v(e.firstOpenAt)}),(0,A.jsx)(a,{size:`xs`,children:v(e.firstClickAt)})]})]},e.id))})]}):null,B.bonuses.length?(0,A.jsxs)(a,{size:`sm`,children:[`Bonuses: `,B.bonuses.map(e=>`${e.template.name} (${e.status})`).join(`, `)]}):null]})}),(0,A.jsx)(b.Col,{span:{base:12,lg:7},children:(0,A.jsx)(k.Suspense,{fallback:(0,A.jsx)(m,{label:`Loading the graph`}),children:(0,A.jsx)(j,{definition:H,path:V,height:520})})})]}),(0,A.jsx)(T,{opened:P,title:`Stop this entry?`,confirmLabel:`Stop entry`,danger:!0,busy:R.fetching,error:I,onConfirm:U,onClose:()=>F(!1),children:`The entry ends now (status STOPPED) and takes no further step.`})]})}export{N as default};