const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/JourneyGraph-CQG2Pb1d.js","assets/rolldown-runtime-QQ38H6s1.js","assets/preload-helper-CHNGSWiG.js","assets/with-selector-6usEY13x.js","assets/definition-DmgXP3xy.js","assets/JourneyGraph-DrepRAnx.css","assets/StepEntriesDrawer-Disal-tp.js","assets/format-BZ9-UPcI.js","assets/app-k7HIwDFa.js","assets/dist-DHCRdjNZ.js","assets/app-Bp-CpzYm.css","assets/Modal-DiLGcckn.js","assets/StatusBadge-Dy5bkK2O.js","assets/Table-DR4KEKBu.js","assets/JourneyActions-DNfDg6lc.js","assets/get-auto-contrast-value-BTPwFOS2.js","assets/UsersTab-BXZ-DLJE.js","assets/SegmentedControl-REhHEhn7.js","assets/Select-2vISwdHg.js","assets/noop-mXPS5vjY.js","assets/Pager-oHYTNnKN.js","assets/periods-DoggbC1t.js","assets/EntryDetails-DCK54KbZ.js","assets/Grid-9eSw-Anj.js","assets/get-base-value-BuqEGh75.js","assets/JourneyCommunications-JP35M4ao.js","assets/CommunicationLog-BZNsgLBc.js","assets/ReportsTab-C4-5EkFl.js","assets/with-selector-CAKFoaBy.js","assets/NumberInput-D-HzVze1.js","assets/ReportsTab-CmJwn1CT.css","assets/VersionsTab-CqLnxMWt.js","assets/Code-Wp5zhhcu.js","assets/SegmentRunsTab-DLei3wg5.js"])))=>i.map(i=>d[i]);
import{n as e,r as t}from"./rolldown-runtime-QQ38H6s1.js";import{a as n,i as r}from"./format-BZ9-UPcI.js";import{A as i,C as a,F as o,T as s,_ as c,a as l,d as u,g as d,h as f,l as p,m,n as h,o as g,p as _,r as v,u as y,v as b,w as x,x as S,y as C}from"./app-k7HIwDFa.js";import{D as w,T,t as E}from"./preload-helper-CHNGSWiG.js";import{t as D}from"./StatusBadge-Dy5bkK2O.js";import{r as O,t as k}from"./JourneyActions-DNfDg6lc.js";var A=t(w(),1),j=T(),M=l(`
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
`),N=l(`
  query JourneyLiveStats($id: ID!) {
    journey(id: $id) {
      id
      liveStats {
        stepId
        count
      }
    }
  }
`),P=l(`
  subscription JourneyLiveStatsPush($id: ID!) {
    journeyLiveStats(journeyId: $id) {
      stepId
      count
    }
  }
`),F=l(`
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
`);function I({tabs:e,active:t,label:n}){return(0,j.jsx)(i,{gap:4,component:`nav`,"aria-label":n,style:{borderBottom:`1px solid var(--mantine-color-gray-3)`},pb:4,children:e.map(([e,n])=>{let r=e===t;return(0,j.jsx)(a,{component:u,to:e,variant:r?`filled`:`subtle`,"aria-current":r?`page`:void 0,size:`compact-sm`,children:n},e)})})}var L=(0,A.lazy)(()=>E(()=>import(`./JourneyGraph-CQG2Pb1d.js`).then(e=>({default:e.JourneyGraph})),__vite__mapDeps([0,1,2,3,4,5]))),R=(0,A.lazy)(()=>E(()=>import(`./StepEntriesDrawer-Disal-tp.js`),__vite__mapDeps([6,1,7,2,8,9,10,11,12,13,4,14,15])));function z(e){let[{data:t,error:n}]=p({query:N,variables:{id:e},requestPolicy:`network-only`}),[{data:r,error:i}]=y({query:P,variables:{id:e}},(e,t)=>t.journeyLiveStats),a=r??t?.journey?.liveStats;return{counts:(0,A.useMemo)(()=>a?new Map(a.map(e=>[e.stepId,e.count])):void 0,[a]),error:g(n??i),live:!!r}}function B({journey:e}){let[t,n]=b(),{counts:r,error:a,live:c}=z(e.id),l=t.get(`step`),u=(0,A.useCallback)(e=>n(t=>{let n=new URLSearchParams(t);return n.set(`step`,e),n}),[n]),d=e.problems.filter(e=>!e.stepId),f=r?[...r.values()].reduce((e,t)=>e+t,0):0;return(0,j.jsxs)(S,{gap:`xs`,children:[(0,j.jsxs)(i,{justify:`space-between`,children:[(0,j.jsxs)(s,{size:`sm`,children:[`The number above each step is how many entries are there now`,c?` (live)`:``,`: `,f.toLocaleString(`en-GB`),` in all. Click it to list them.`]}),(0,j.jsx)(V,{})]}),(0,j.jsx)(h,{message:a}),d.length?(0,j.jsxs)(o,{withBorder:!0,p:`xs`,children:[(0,j.jsx)(s,{size:`sm`,fw:600,children:`Problems of the journey as a whole`}),(0,j.jsx)(O,{size:`sm`,children:d.map((e,t)=>(0,j.jsxs)(O.Item,{children:[e.severity,`: `,e.message]},t))})]}):null,(0,j.jsx)(A.Suspense,{fallback:(0,j.jsx)(v,{label:`Loading the graph`}),children:(0,j.jsx)(L,{definition:e.definition,problems:e.problems,counts:r,onCountClick:u,height:`max(480px, calc(100vh - 236px))`})}),(0,j.jsx)(A.Suspense,{fallback:null,children:l?(0,j.jsx)(R,{journey:e,stepId:l,onClose:()=>n(e=>{let t=new URLSearchParams(e);return t.delete(`step`),t})}):null})]})}function V(){let e=(e,t)=>(0,j.jsxs)(i,{gap:4,children:[(0,j.jsx)(`span`,{"aria-hidden":!0,style:{display:`inline-block`,width:22,height:0,...e}}),(0,j.jsx)(s,{size:`xs`,children:t})]});return(0,j.jsxs)(i,{gap:`md`,"aria-label":`Legend`,children:[e({borderTop:`2px solid #495057`},`next`),e({borderTop:`2px dashed #e8590c`},`timeout`),e({borderTop:`2px dotted #7048e8`},`goto`),e({border:`2px dotted #c92a2a`,height:10},`not configured`)]})}var H=e({default:()=>X}),U=(0,A.lazy)(()=>E(()=>import(`./UsersTab-BXZ-DLJE.js`),__vite__mapDeps([16,1,7,2,8,9,10,17,18,12,19,13,20,14,15,11,21,6,4]))),W=(0,A.lazy)(()=>E(()=>import(`./EntryDetails-DCK54KbZ.js`),__vite__mapDeps([22,1,8,2,9,10,7,23,24,13,14,15,11,12,6,4]))),G=(0,A.lazy)(()=>E(()=>import(`./JourneyCommunications-JP35M4ao.js`),__vite__mapDeps([25,26,1,7,2,8,9,10,11,12,18,19,13,20,21]))),K=(0,A.lazy)(()=>E(()=>import(`./ReportsTab-C4-5EkFl.js`),__vite__mapDeps([27,1,8,2,9,10,3,28,29,19,17,24,13,7,21,30]))),q=(0,A.lazy)(()=>E(()=>import(`./VersionsTab-CqLnxMWt.js`),__vite__mapDeps([31,1,8,2,9,10,32,23,24,13,7]))),J=(0,A.lazy)(()=>E(()=>import(`./SegmentRunsTab-DLei3wg5.js`),__vite__mapDeps([33,8,1,2,9,10,13,7]))),Y=[[``,`Graph`],[`users`,`Users`],[`communications`,`Communications`],[`reports`,`Reports`],[`versions`,`Versions`]];function X(){let{journeyId:e=``}=c(),{pathname:t}=f(),r=`/journeys/${encodeURIComponent(e)}`,[{data:i,fetching:a,error:o}]=p({query:M,variables:{id:e}}),s=i?.journey;if(!s&&!a)return(0,j.jsxs)(S,{children:[(0,j.jsx)(h,{message:g(o)??`There is no journey with this id, or it is outside your access groups.`}),(0,j.jsx)(n,{component:u,to:`/journeys`,children:`Back to the journeys`})]});let l=t.slice(r.length).replace(/^\//,``),d=l.startsWith(`entries`)?`users`:l.split(`/`)[0]??``,y=e=>s?e(s):(0,j.jsx)(v,{});return(0,j.jsxs)(S,{gap:`sm`,children:[s?(0,j.jsx)(Z,{journey:s}):(0,j.jsx)(v,{label:`Loading the journey`}),(0,j.jsx)(I,{label:`Journey sections`,active:d?`${r}/${d}`:r,tabs:[...Y,...s?.triggerKind===`SCHEDULED_SEGMENT`?[[`runs`,`Segment runs`]]:[]].map(([e,t])=>[e?`${r}/${e}`:r,t])}),(0,j.jsx)(A.Suspense,{fallback:(0,j.jsx)(v,{}),children:(0,j.jsxs)(m,{children:[(0,j.jsx)(_,{index:!0,element:y(e=>(0,j.jsx)(B,{journey:e}))}),(0,j.jsx)(_,{path:`users`,element:(0,j.jsx)(U,{journeyId:e})}),(0,j.jsx)(_,{path:`entries/:entryId`,element:(0,j.jsx)(W,{})}),(0,j.jsx)(_,{path:`communications`,element:(0,j.jsx)(G,{journeyId:e})}),(0,j.jsx)(_,{path:`reports`,element:(0,j.jsx)(K,{journeyId:e})}),(0,j.jsx)(_,{path:`versions`,element:(0,j.jsx)(q,{journeyId:e})}),(0,j.jsx)(_,{path:`runs`,element:(0,j.jsx)(J,{journeyId:e})})]})})]})}function Z({journey:e}){let t=d();return(0,j.jsxs)(i,{justify:`space-between`,align:`flex-start`,children:[(0,j.jsxs)(S,{gap:2,children:[(0,j.jsxs)(i,{gap:`xs`,children:[(0,j.jsx)(n,{component:u,to:`/journeys`,size:`sm`,children:`Journeys`}),(0,j.jsx)(s,{size:`sm`,c:`dimmed`,children:`/`})]}),(0,j.jsxs)(i,{gap:`sm`,children:[(0,j.jsx)(C,{order:2,size:`h3`,children:e.name}),(0,j.jsx)(D,{status:e.status}),(0,j.jsxs)(s,{size:`sm`,children:[`version `,e.version]})]}),(0,j.jsxs)(i,{gap:`md`,children:[(0,j.jsxs)(s,{size:`sm`,children:[`Trigger: `,e.triggerKind]}),(0,j.jsxs)(s,{size:`sm`,children:[`Re-entry: `,e.reentryMode]}),(0,j.jsxs)(s,{size:`sm`,children:[`Control group: `,e.controlGroupPercent,`%`]}),(0,j.jsxs)(s,{size:`sm`,children:[`Activated: `,r(e.activatedAt)]}),e.nextRunAt?(0,j.jsxs)(s,{size:`sm`,children:[`Next run: `,r(e.nextRunAt)]}):null,e.accessGroups.length?(0,j.jsxs)(s,{size:`sm`,children:[`Access groups: `,e.accessGroups.join(`, `)]}):null,e.tags.map(e=>(0,j.jsx)(x,{variant:`outline`,color:`gray`,size:`sm`,styles:{label:{color:`var(--mantine-color-dark-6)`}},children:e},e))]}),e.description?(0,j.jsx)(s,{size:`sm`,children:e.description}):null]}),(0,j.jsx)(k,{journey:e,afterDelete:()=>t(`/journeys`)})]})}export{X as default,F as n,H as t};