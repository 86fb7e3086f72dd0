const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/JourneyGraph-BeBbUld9.js","assets/rolldown-runtime-XKyaHtl9.js","assets/preload-helper-DlvYQrOn.js","assets/with-selector-BwkXMTl-.js","assets/definition-BFBVjlAG.js","assets/JourneyGraph-DrepRAnx.css","assets/StepEntriesDrawer-CxN-X0OP.js","assets/format-gbdNBq_j.js","assets/feedback-CLhFjJTY.js","assets/Button-BxaX3cBD.js","assets/use-reduced-motion-BZPHbFO0.js","assets/app-DtywuLxz.js","assets/dist-KnWPMUgJ.js","assets/InputBase-CMUv4tFH.js","assets/use-uncontrolled-CS9UeC5i.js","assets/app-Bp-CpzYm.css","assets/Modal-CgXzkASd.js","assets/StatusBadge-iwKtv9cr.js","assets/Table-Bhch2j_W.js","assets/JourneyActions-BfLJ9XRp.js","assets/get-auto-contrast-value-BTPwFOS2.js","assets/UsersTab-BJgJlmlQ.js","assets/SegmentedControl-DPC4nJCU.js","assets/Select-DvukXlRm.js","assets/noop-mXPS5vjY.js","assets/Pager-T8ZiqXZP.js","assets/periods-DoggbC1t.js","assets/EntryDetails-DrHpTarP.js","assets/Grid--NDi51qk.js","assets/get-base-value-BuqEGh75.js","assets/JourneyCommunications-BKYOjdKI.js","assets/CommunicationLog-D33B4Ulv.js","assets/ReportsTab-CdRrZB7q.js","assets/with-selector-KY-os_Nm.js","assets/NumberInput-DmbprykQ.js","assets/ReportsTab-CmJwn1CT.css","assets/VersionsTab-DKn6eutx.js","assets/Code-CQpzBu4B.js","assets/SegmentRunsTab-Y9ie1SvS.js"])))=>i.map(i=>d[i]);
import{n as e,r as t}from"./rolldown-runtime-XKyaHtl9.js";import{a as n,i as r}from"./format-gbdNBq_j.js";import{_ as i,a,c as o,i as s,l as c,m as l,n as u,o as d,p as f,s as p,u as m}from"./app-DtywuLxz.js";import{K as h,W as g,f as _,i as v,n as y,o as b,p as x,r as S}from"./feedback-CLhFjJTY.js";import{D as C,T as w,t as T}from"./preload-helper-DlvYQrOn.js";import{t as E}from"./StatusBadge-iwKtv9cr.js";import{t as D}from"./Button-BxaX3cBD.js";import{r as O,t as k}from"./JourneyActions-BfLJ9XRp.js";var A=t(C(),1),j=w(),M=v(`
  query Journey($id: ID!) {
    journey(id: $id) {
      id
      name
      description
      status
      version
      tags
      accessGroups
      triggerKind
      reentryMode
      freezeOnStop
      controlGroupPercent
      definition
      problems {
        stepId
        severity
        message
      }
      createdAt
      updatedAt
      activatedAt
      nextRunAt
    }
  }
`),N=v(`
  query JourneyLiveStats($id: ID!) {
    journey(id: $id) {
      id
      liveStats {
        stepId
        count
      }
    }
  }
`),P=v(`
  subscription JourneyLiveStatsPush($id: ID!) {
    journeyLiveStats(journeyId: $id) {
      stepId
      count
    }
  }
`),F=v(`
  mutation StopEntry($id: ID!, $reason: String) {
    stopEntry(id: $id, reason: $reason) {
      entry {
        id
        status
        stoppedAt
        stopReason
      }
      errors {
        code
        message
      }
    }
  }
`);function I({tabs:e,active:t,label:n}){return(0,j.jsx)(l,{gap:4,component:`nav`,"aria-label":n,style:{borderBottom:`1px solid var(--mantine-color-gray-3)`},pb:4,children:e.map(([e,n])=>{let r=e===t;return(0,j.jsx)(D,{component:u,to:e,variant:r?`filled`:`subtle`,"aria-current":r?`page`:void 0,size:`compact-sm`,children:n},e)})})}var L=(0,A.lazy)(()=>T(()=>import(`./JourneyGraph-BeBbUld9.js`).then(e=>({default:e.JourneyGraph})),__vite__mapDeps([0,1,2,3,4,5]))),R=(0,A.lazy)(()=>T(()=>import(`./StepEntriesDrawer-CxN-X0OP.js`),__vite__mapDeps([6,1,7,2,8,9,10,11,12,13,14,15,16,17,18,4,19,20])));function z(e){let[{data:t,error:n}]=_({query:N,variables:{id:e},requestPolicy:`network-only`}),[{data:r,error:i}]=x({query:P,variables:{id:e}},(e,t)=>t.journeyLiveStats),a=r??t?.journey?.liveStats;return{counts:(0,A.useMemo)(()=>a?new Map(a.map(e=>[e.stepId,e.count])):void 0,[a]),error:b(n??i),live:!!r}}function B({journey:e}){let[t,n]=c(),{counts:r,error:a,live:o}=z(e.id),s=t.get(`step`),u=(0,A.useCallback)(e=>n(t=>{let n=new URLSearchParams(t);return n.set(`step`,e),n}),[n]),d=e.problems.filter(e=>!e.stepId),f=r?[...r.values()].reduce((e,t)=>e+t,0):0;return(0,j.jsxs)(g,{gap:`xs`,children:[(0,j.jsxs)(l,{justify:`space-between`,children:[(0,j.jsxs)(h,{size:`sm`,children:[`The number above each step is how many entries are there now`,o?` (live)`:``,`: `,f.toLocaleString(`en-GB`),` in all. Click it to list them.`]}),(0,j.jsx)(V,{})]}),(0,j.jsx)(y,{message:a}),d.length?(0,j.jsxs)(i,{withBorder:!0,p:`xs`,children:[(0,j.jsx)(h,{size:`sm`,fw:600,children:`Problems of the journey as a whole`}),(0,j.jsx)(O,{size:`sm`,children:d.map((e,t)=>(0,j.jsxs)(O.Item,{children:[e.severity,`: `,e.message]},t))})]}):null,(0,j.jsx)(A.Suspense,{fallback:(0,j.jsx)(S,{label:`Loading the graph`}),children:(0,j.jsx)(L,{definition:e.definition,problems:e.problems,counts:r,onCountClick:u,height:`max(480px, calc(100vh - 236px))`})}),(0,j.jsx)(A.Suspense,{fallback:null,children:s?(0,j.jsx)(R,{journey:e,stepId:s,onClose:()=>n(e=>{let t=new URLSearchParams(e);return t.delete(`step`),t})}):null})]})}function V(){let e=(e,t)=>(0,j.jsxs)(l,{gap:4,children:[(0,j.jsx)(`span`,{"aria-hidden":!0,style:{display:`inline-block`,width:22,height:0,...e}}),(0,j.jsx)(h,{size:`xs`,children:t})]});return(0,j.jsxs)(l,{gap:`md`,"aria-label":`Legend`,children:[e({borderTop:`2px solid #495057`},`next`),e({borderTop:`2px dashed #e8590c`},`timeout`),e({borderTop:`2px dotted #7048e8`},`goto`),e({border:`2px dotted #c92a2a`,height:10},`not configured`)]})}var H=e({default:()=>X}),U=(0,A.lazy)(()=>T(()=>import(`./UsersTab-BJgJlmlQ.js`),__vite__mapDeps([21,1,7,2,8,9,10,11,12,13,14,15,22,23,17,24,18,25,19,20,16,26,6,4]))),W=(0,A.lazy)(()=>T(()=>import(`./EntryDetails-DrHpTarP.js`),__vite__mapDeps([27,1,8,2,7,9,10,28,11,12,13,14,15,29,18,19,20,16,17,6,4]))),G=(0,A.lazy)(()=>T(()=>import(`./JourneyCommunications-BKYOjdKI.js`),__vite__mapDeps([30,31,1,7,2,8,9,10,11,12,13,14,15,16,17,23,24,18,25,26]))),K=(0,A.lazy)(()=>T(()=>import(`./ReportsTab-CdRrZB7q.js`),__vite__mapDeps([32,1,8,2,3,13,33,11,9,10,12,14,15,34,24,22,29,18,7,26,35]))),q=(0,A.lazy)(()=>T(()=>import(`./VersionsTab-DKn6eutx.js`),__vite__mapDeps([36,1,9,8,2,10,37,28,11,12,13,14,15,29,18,7]))),J=(0,A.lazy)(()=>T(()=>import(`./SegmentRunsTab-Y9ie1SvS.js`),__vite__mapDeps([38,8,1,2,18,7]))),Y=[[``,`Graph`],[`users`,`Users`],[`communications`,`Communications`],[`reports`,`Reports`],[`versions`,`Versions`]];function X(){let{journeyId:e=``}=o(),{pathname:t}=d(),r=`/journeys/${encodeURIComponent(e)}`,[{data:i,fetching:c,error:l}]=_({query:M,variables:{id:e}}),f=i?.journey;if(!f&&!c)return(0,j.jsxs)(g,{children:[(0,j.jsx)(y,{message:b(l)??`There is no journey with this id, or it is outside your access groups.`}),(0,j.jsx)(n,{component:u,to:`/journeys`,children:`Back to the journeys`})]});let p=t.slice(r.length).replace(/^\//,``),m=p.startsWith(`entries`)?`users`:p.split(`/`)[0]??``,h=e=>f?e(f):(0,j.jsx)(S,{});return(0,j.jsxs)(g,{gap:`sm`,children:[f?(0,j.jsx)(Z,{journey:f}):(0,j.jsx)(S,{label:`Loading the journey`}),(0,j.jsx)(I,{label:`Journey sections`,active:m?`${r}/${m}`:r,tabs:[...Y,...f?.triggerKind===`SCHEDULED_SEGMENT`?[[`runs`,`Segment runs`]]:[]].map(([e,t])=>[e?`${r}/${e}`:r,t])}),(0,j.jsx)(A.Suspense,{fallback:(0,j.jsx)(S,{}),children:(0,j.jsxs)(a,{children:[(0,j.jsx)(s,{index:!0,element:h(e=>(0,j.jsx)(B,{journey:e}))}),(0,j.jsx)(s,{path:`users`,element:(0,j.jsx)(U,{journeyId:e})}),(0,j.jsx)(s,{path:`entries/:entryId`,element:(0,j.jsx)(W,{})}),(0,j.jsx)(s,{path:`communications`,element:(0,j.jsx)(G,{journeyId:e})}),(0,j.jsx)(s,{path:`reports`,element:(0,j.jsx)(K,{journeyId:e})}),(0,j.jsx)(s,{path:`versions`,element:(0,j.jsx)(q,{journeyId:e})}),(0,j.jsx)(s,{path:`runs`,element:(0,j.jsx)(J,{journeyId:e})})]})})]})}function Z({journey:e}){let t=p();return(0,j.jsxs)(l,{justify:`space-between`,align:`flex-start`,children:[(0,j.jsxs)(g,{gap:2,children:[(0,j.jsxs)(l,{gap:`xs`,children:[(0,j.jsx)(n,{component:u,to:`/journeys`,size:`sm`,children:`Journeys`}),(0,j.jsx)(h,{size:`sm`,c:`dimmed`,children:`/`})]}),(0,j.jsxs)(l,{gap:`sm`,children:[(0,j.jsx)(m,{order:2,size:`h3`,children:e.name}),(0,j.jsx)(E,{status:e.status}),(0,j.jsxs)(h,{size:`sm`,children:[`version `,e.version]})]}),(0,j.jsxs)(l,{gap:`md`,children:[(0,j.jsxs)(h,{size:`sm`,children:[`Trigger: `,e.triggerKind]}),(0,j.jsxs)(h,{size:`sm`,children:[`Re-entry: `,e.reentryMode]}),(0,j.jsxs)(h,{size:`sm`,children:[`Control group: `,e.controlGroupPercent,`%`]}),(0,j.jsxs)(h,{size:`sm`,children:[`Activated: `,r(e.activatedAt)]}),e.nextRunAt?(0,j.jsxs)(h,{size:`sm`,children:[`Next run: `,r(e.nextRunAt)]}):null,e.accessGroups.length?(0,j.jsxs)(h,{size:`sm`,children:[`Access groups: `,e.accessGroups.join(`, `)]}):null,e.tags.map(e=>(0,j.jsx)(f,{variant:`outline`,color:`gray`,size:`sm`,styles:{label:{color:`var(--mantine-color-dark-6)`}},children:e},e))]}),e.description?(0,j.jsx)(h,{size:`sm`,children:e.description}):null]}),(0,j.jsx)(k,{journey:e,afterDelete:()=>t(`/journeys`)})]})}export{X as default,F as n,H as t};