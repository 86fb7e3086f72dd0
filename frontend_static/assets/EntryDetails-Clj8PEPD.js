const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/JourneyGraph-D3G5R1cc.js","assets/rolldown-runtime-XKyaHtl9.js","assets/jsx-runtime-B5GVbOd8.js","assets/with-selector-Gk50HNeW.js","assets/preload-helper-BQY_yZE2.js","assets/definition-uzMhrECE.js","assets/JourneyGraph-DrepRAnx.css"])))=>i.map(i=>d[i]);
import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{K as t,W as n,d as r,f as i,i as a,n as o,o as s,q as c,r as l}from"./feedback-Bum3lcar.js";import{a as u,i as d,t as f}from"./format-B6DqAFml.js";import{t as p}from"./Button-Tltf2vvg.js";import{t as m}from"./Grid-QKB7vMH1.js";import{c as h,g,m as _,n as v,t as y,u as b}from"./app-DqfJQ3Wj.js";import{t as x}from"./Table-QEkk7Vlz.js";import{n as S,t as C}from"./jsx-runtime-B5GVbOd8.js";import{n as w}from"./JourneyActions-DlGifPJ7.js";import{t as T}from"./StatusBadge-C7YmFGMz.js";import{n as E}from"./JourneyScreen-deNSyYOk.js";import{RUNNING as D}from"./StepEntriesDrawer-BiyHiPi4.js";import{t as O}from"./preload-helper-BQY_yZE2.js";var k=e(S(),1),A=C(),j=(0,k.lazy)(()=>O(()=>import(`./JourneyGraph-D3G5R1cc.js`).then(e=>e.t).then(e=>({default:e.JourneyGraph})),__vite__mapDeps([0,1,2,3,4,5,6]))),M=a(`
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
`);function N(){let{entryId:e=``}=h(),{canEdit:a}=y(),[{data:S,fetching:C,error:O}]=i({query:M,variables:{id:e}}),[N,P]=(0,k.useState)(!1),[F,I]=(0,k.useState)(null),[L,R]=r(E),z=S?.entry,B=(0,k.useMemo)(()=>z?{visited:new Set(z.steps.filter(e=>e.kind!==`progress`).map(e=>e.stepId)),current:z.currentStepId}:void 0,[z]);if(C&&!S)return(0,A.jsx)(l,{});if(!z)return(0,A.jsx)(o,{message:s(O)??`There is no entry with this id.`});let V=z.journey.versions.find(e=>e.version===z.version)?.definition;async function H(){let t=await R({id:e,reason:`stopped by an operator`},{additionalTypenames:[`Entry`]}),n=s(t.error,t.data?.stopEntry.errors);if(n)return I(n);P(!1)}return(0,A.jsxs)(n,{gap:`sm`,children:[(0,A.jsxs)(_,{justify:`space-between`,children:[(0,A.jsxs)(_,{gap:`sm`,children:[(0,A.jsxs)(b,{order:3,size:`h4`,children:[`Entry of`,` `,(0,A.jsx)(u,{component:v,to:`/users/${encodeURIComponent(z.user.id)}`,children:z.user.username??z.user.externalId}),` `,`(round `,z.round,`, version `,z.version,`)`]}),(0,A.jsx)(T,{status:z.status})]}),(0,A.jsxs)(_,{gap:`xs`,children:[(0,A.jsx)(p,{variant:`default`,onClick:()=>f(`entry-${z.user.externalId}-round-${z.round}.json`,z),children:`Download the entry`}),a&&D.has(z.status)?(0,A.jsx)(p,{color:`red`,variant:`light`,onClick:()=>{I(null),P(!0)},children:`Stop this entry`}):null]})]}),z.blockedReason?(0,A.jsx)(c,{color:`yellow`,title:`Why it is not moving`,"data-testid":`blocked-reason`,styles:{title:{color:`var(--mantine-color-dark-8)`}},children:z.blockedReason}):null,(0,A.jsxs)(m,{children:[(0,A.jsx)(m.Col,{span:{base:12,lg:5},children:(0,A.jsxs)(n,{gap:`xs`,children:[(0,A.jsxs)(g,{withBorder:!0,p:`xs`,children:[(0,A.jsxs)(t,{size:`sm`,children:[`Entered `,d(z.enteredAt)]}),(0,A.jsxs)(t,{size:`sm`,children:[`Converted `,d(z.convertedAt)]}),(0,A.jsxs)(t,{size:`sm`,children:[`Ended `,d(z.stoppedAt),z.stopReason?` (${z.stopReason})`:``]}),(0,A.jsxs)(t,{size:`sm`,children:[`Step now: `,z.currentStepId??`—`,`; wakes `,d(z.wakeAt)]}),(0,A.jsxs)(t,{size:`sm`,children:[`Progress: `,z.progress.name,` (reached `,d(z.progress.reachedAt),`)`]}),(0,A.jsxs)(t,{size:`sm`,children:[`Control group: `,z.inControlGroup?`yes`:`no`]})]}),(0,A.jsxs)(x,{striped:!0,"aria-label":`Steps taken`,children:[(0,A.jsx)(x.Thead,{children:(0,A.jsxs)(x.Tr,{children:[(0,A.jsx)(x.Th,{children:`Step`}),(0,A.jsx)(x.Th,{children:`Outcome`}),(0,A.jsx)(x.Th,{children:`When`})]})}),(0,A.jsx)(x.Tbody,{children:z.steps.map((e,n)=>(0,A.jsxs)(x.Tr,{"data-testid":`entry-step`,children:[(0,A.jsxs)(x.Td,{children:[e.kind===`progress`?`Progress status`:e.name??e.stepId,(0,A.jsx)(t,{size:`xs`,c:`dimmed`,children:e.kind===`progress`?`moved up the ladder`:e.kind})]}),(0,A.jsxs)(x.Td,{children:[e.outcome,e.detail?(0,A.jsx)(t,{size:`xs`,children:e.detail}):null]}),(0,A.jsxs)(x.Td,{children:[(0,A.jsx)(t,{size:`xs`,children:d(e.enteredAt)}),e.leftAt?(0,A.jsxs)(t,{size:`xs`,children:[`left `,d(e.leftAt)]}):null]})]},n))})]}),z.communications.length?(0,A.jsxs)(x,{"aria-label":`Messages of this entry`,children:[(0,A.jsx)(x.Thead,{children:(0,A.jsxs)(x.Tr,{children:[(0,A.jsx)(x.Th,{children:`Message`}),(0,A.jsx)(x.Th,{children:`Status`}),(0,A.jsx)(x.Th,{children:`Opened / clicked`})]})}),(0,A.jsx)(x.Tbody,{children:z.communications.map(e=>(0,A.jsxs)(x.Tr,{children:[(0,A.jsxs)(x.Td,{children:[e.resource.name,` (`,e.channel,`)`]}),(0,A.jsxs)(x.Td,{children:[(0,A.jsx)(T,{status:e.status}),e.error?(0,A.jsx)(t,{size:`xs`,children:e.error}):null]}),(0,A.jsxs)(x.Td,{children:[(0,A.jsx)(t,{size:`xs`,children:d(e.firstOpenAt)}),(0,A.jsx)(t,{size:`xs`,children:d(e.firstClickAt)})]})]},e.id))})]}):null,z.bonuses.length?(0,A.jsxs)(t,{size:`sm`,children:[`Bonuses: `,z.bonuses.map(e=>`${e.template.name} (${e.status})`).join(`, `)]}):null]})}),(0,A.jsx)(m.Col,{span:{base:12,lg:7},children:(0,A.jsx)(k.Suspense,{fallback:(0,A.jsx)(l,{label:`Loading the graph`}),children:(0,A.jsx)(j,{definition:V,path:B,height:520})})})]}),(0,A.jsx)(w,{opened:N,title:`Stop this entry?`,confirmLabel:`Stop entry`,danger:!0,busy:L.fetching,error:F,onConfirm:H,onClose:()=>P(!1),children:`The entry ends now (status STOPPED) and takes no further step.`})]})}export{N as default};