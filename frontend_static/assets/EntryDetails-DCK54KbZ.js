const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/JourneyGraph-CQG2Pb1d.js","assets/rolldown-runtime-QQ38H6s1.js","assets/preload-helper-CHNGSWiG.js","assets/with-selector-6usEY13x.js","assets/definition-DmgXP3xy.js","assets/JourneyGraph-DrepRAnx.css"])))=>i.map(i=>d[i]);
import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{A as t,C as n,E as r,F as i,T as a,_ as o,a as s,c,d as l,i as u,l as d,n as f,o as p,r as m,x as h,y as g}from"./app-k7HIwDFa.js";import{a as _,i as v,t as y}from"./format-BZ9-UPcI.js";import{t as b}from"./Grid-9eSw-Anj.js";import{t as x}from"./Table-DR4KEKBu.js";import{D as S,T as C,t as w}from"./preload-helper-CHNGSWiG.js";import{n as T}from"./JourneyActions-DNfDg6lc.js";import{t as E}from"./StatusBadge-Dy5bkK2O.js";import{n as D}from"./JourneyScreen-BRmvJw7z.js";import{RUNNING as O}from"./StepEntriesDrawer-Disal-tp.js";var k=e(S(),1),A=C(),j=(0,k.lazy)(()=>w(()=>import(`./JourneyGraph-CQG2Pb1d.js`).then(e=>({default:e.JourneyGraph})),__vite__mapDeps([0,1,2,3,4,5]))),M=s(`
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
`);function N(){let{entryId:e=``}=o(),{canEdit:s}=u(),[{data:S,fetching:C,error:w}]=d({query:M,variables:{id:e}}),[N,P]=(0,k.useState)(!1),[F,I]=(0,k.useState)(null),[L,R]=c(D),z=S?.entry,B=(0,k.useMemo)(()=>z?{visited:new Set(z.steps.filter(e=>e.kind!==`progress`).map(e=>e.stepId)),current:z.currentStepId}:void 0,[z]);if(C&&!S)return(0,A.jsx)(m,{});if(!z)return(0,A.jsx)(f,{message:p(w)??`There is no entry with this id.`});let V=z.journey.versions.find(e=>e.version===z.version)?.definition;async function H(){let t=await R({id:e,reason:`stopped by an operator`},{additionalTypenames:[`Entry`]}),n=p(t.error,t.data?.stopEntry.errors);if(n)return I(n);P(!1)}return(0,A.jsxs)(h,{gap:`sm`,children:[(0,A.jsxs)(t,{justify:`space-between`,children:[(0,A.jsxs)(t,{gap:`sm`,children:[(0,A.jsxs)(g,{order:3,size:`h4`,children:[`Entry of`,` `,(0,A.jsx)(_,{component:l,to:`/users/${encodeURIComponent(z.user.id)}`,children:z.user.username??z.user.externalId}),` `,`(round `,z.round,`, version `,z.version,`)`]}),(0,A.jsx)(E,{status:z.status})]}),(0,A.jsxs)(t,{gap:`xs`,children:[(0,A.jsx)(n,{variant:`default`,onClick:()=>y(`entry-${z.user.externalId}-round-${z.round}.json`,z),children:`Download the entry`}),s&&O.has(z.status)?(0,A.jsx)(n,{color:`red`,variant:`light`,onClick:()=>{I(null),P(!0)},children:`Stop this entry`}):null]})]}),z.blockedReason?(0,A.jsx)(r,{color:`yellow`,title:`Why it is not moving`,"data-testid":`blocked-reason`,styles:{title:{color:`var(--mantine-color-dark-8)`}},children:z.blockedReason}):null,(0,A.jsxs)(b,{children:[(0,A.jsx)(b.Col,{span:{base:12,lg:5},children:(0,A.jsxs)(h,{gap:`xs`,children:[(0,A.jsxs)(i,{withBorder:!0,p:`xs`,children:[(0,A.jsxs)(a,{size:`sm`,children:[`Entered `,v(z.enteredAt)]}),(0,A.jsxs)(a,{size:`sm`,children:[`Converted `,v(z.convertedAt)]}),(0,A.jsxs)(a,{size:`sm`,children:[`Ended `,v(z.stoppedAt),z.stopReason?` (${z.stopReason})`:``]}),(0,A.jsxs)(a,{size:`sm`,children:[`Step now: `,z.currentStepId??`—`,`; wakes `,v(z.wakeAt)]}),(0,A.jsxs)(a,{size:`sm`,children:[`Progress: `,z.progress.name,` (reached `,v(z.progress.reachedAt),`)`]}),(0,A.jsxs)(a,{size:`sm`,children:[`Control group: `,z.inControlGroup?`yes`:`no`]})]}),(0,A.jsxs)(x,{striped:!0,"aria-label":`Steps taken`,children:[(0,A.jsx)(x.Thead,{children:(0,A.jsxs)(x.Tr,{children:[(0,A.jsx)(x.Th,{children:`Step`}),(0,A.jsx)(x.Th,{children:`Outcome`}),(0,A.jsx)(x.Th,{children:`When`})]})}),(0,A.jsx)(x.Tbody,{children:z.steps.map((e,t)=>(0,A.jsxs)(x.Tr,{"data-testid":`entry-step`,children:[(0,A.jsxs)(x.Td,{children:[e.kind===`progress`?`Progress status`:e.name??e.stepId,(0,A.jsx)(a,{size:`xs`,c:`dimmed`,children:e.kind===`progress`?`moved up the ladder`:e.kind})]}),(0,A.jsxs)(x.Td,{children:[e.outcome,e.detail?(0,A.jsx)(a,{size:`xs`,children:e.detail}):null]}),(0,A.jsxs)(x.Td,{children:[(0,A.jsx)(a,{size:`xs`,children:v(e.enteredAt)}),e.leftAt?(0,A.jsxs)(a,{size:`xs`,children:[`left `,v(e.leftAt)]}):null]})]},t))})]}),z.communications.length?(0,A.jsxs)(x,{"aria-label":`Messages of this entry`,children:[(0,A.jsx)(x.Thead,{children:(0,A.jsxs)(x.Tr,{children:[(0,A.jsx)(x.Th,{children:`Message`}),(0,A.jsx)(x.Th,{children:`Status`}),(0,A.jsx)(x.Th,{children:`Opened / clicked`})]})}),(0,A.jsx)(x.Tbody,{children:z.communications.map(e=>(0,A.jsxs)(x.Tr,{children:[(0,A.jsxs)(x.Td,{children:[e.resource.name,` (`,e.channel,`)`]}),(0,A.jsxs)(x.Td,{children:[(0,A.jsx)(E,{status:e.status}),e.error?(0,A.jsx)(a,{size:`xs`,children:e.error}):null]}),(0,A.jsxs)(x.Td,{children:[(0,A.jsx)(a,{size:`xs`,children:v(e.firstOpenAt)}),(0,A.jsx)(a,{size:`xs`,children:v(e.firstClickAt)})]})]},e.id))})]}):null,z.bonuses.length?(0,A.jsxs)(a,{size:`sm`,children:[`Bonuses: `,z.bonuses.map(e=>`${e.template.name} (${e.status})`).join(`, `)]}):null]})}),(0,A.jsx)(b.Col,{span:{base:12,lg:7},children:(0,A.jsx)(k.Suspense,{fallback:(0,A.jsx)(m,{label:`Loading the graph`}),children:(0,A.jsx)(j,{definition:V,path:B,height:520})})})]}),(0,A.jsx)(T,{opened:N,title:`Stop this entry?`,confirmLabel:`Stop entry`,danger:!0,busy:L.fetching,error:F,onConfirm:H,onClose:()=>P(!1),children:`The entry ends now (status STOPPED) and takes no further step.`})]})}export{N as default};