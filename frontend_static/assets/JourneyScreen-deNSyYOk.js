const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/JourneyGraph-D3G5R1cc.js","assets/rolldown-runtime-XKyaHtl9.js","assets/jsx-runtime-B5GVbOd8.js","assets/with-selector-Gk50HNeW.js","assets/preload-helper-BQY_yZE2.js","assets/definition-uzMhrECE.js","assets/JourneyGraph-DrepRAnx.css","assets/StepEntriesDrawer-BiyHiPi4.js","assets/format-B6DqAFml.js","assets/feedback-Bum3lcar.js","assets/Button-Tltf2vvg.js","assets/use-reduced-motion-BzKlxekg.js","assets/app-DqfJQ3Wj.js","assets/dist-KnWPMUgJ.js","assets/InputBase-BKgkP784.js","assets/ActionIcon-DumLPXyQ.js","assets/use-uncontrolled-BbFelnGN.js","assets/app-Bp-CpzYm.css","assets/Modal-DuxPGo_Y.js","assets/StatusBadge-C7YmFGMz.js","assets/Table-QEkk7Vlz.js","assets/JourneyActions-DlGifPJ7.js","assets/get-auto-contrast-value-BTPwFOS2.js","assets/UsersTab-6c8zimNH.js","assets/SegmentedControl-BJtgW2ON.js","assets/get-env-MimdSsZv.js","assets/Select-DqzlK-qD.js","assets/noop-mXPS5vjY.js","assets/Pager-BZAyn77N.js","assets/periods-DoggbC1t.js","assets/searchParams-B3a69rUd.js","assets/EntryDetails-Clj8PEPD.js","assets/Grid-QKB7vMH1.js","assets/get-base-value-BuqEGh75.js","assets/JourneyCommunications-DUjNEaQF.js","assets/CommunicationLog-Cz7Nl_s7.js","assets/ReportsTab-CZpIBXfl.js","assets/with-selector-DYmNUkf3.js","assets/NumberInput-CpJPqYCy.js","assets/ReportsTab-CmJwn1CT.css","assets/VersionsTab-2mjDtMWs.js","assets/Code-Bshu5CVk.js","assets/SegmentRunsTab-D7XBjjDZ.js","assets/EditorScreen-CyvW7VYJ.js","assets/Tabs-DUe8epDM.js","assets/TagsInput-CTkrrxaq.js"])))=>i.map(i=>d[i]);
import{n as e,r as t}from"./rolldown-runtime-XKyaHtl9.js";import{a as n,i as r}from"./format-B6DqAFml.js";import{a as i,c as a,g as o,i as s,l as c,m as l,n as u,o as d,p as f,s as p,t as m,u as h}from"./app-DqfJQ3Wj.js";import{K as g,W as _,f as v,i as y,n as b,o as x,p as S,r as C}from"./feedback-Bum3lcar.js";import{n as w,t as T}from"./jsx-runtime-B5GVbOd8.js";import{t as E}from"./StatusBadge-C7YmFGMz.js";import{t as D}from"./Button-Tltf2vvg.js";import{r as O,t as k}from"./JourneyActions-DlGifPJ7.js";import{t as A}from"./preload-helper-BQY_yZE2.js";var j=t(w(),1),M=T(),N=y(`
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
      layout
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
`),P=y(`
  query JourneyLiveStats($id: ID!) {
    journey(id: $id) {
      id
      liveStats {
        stepId
        count
      }
    }
  }
`),F=y(`
  subscription JourneyLiveStatsPush($id: ID!) {
    journeyLiveStats(journeyId: $id) {
      stepId
      count
    }
  }
`),I=y(`
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
`);function L({tabs:e,active:t,label:n}){return(0,M.jsx)(l,{gap:4,component:`nav`,"aria-label":n,style:{borderBottom:`1px solid var(--mantine-color-gray-3)`},pb:4,children:e.map(([e,n])=>{let r=e===t;return(0,M.jsx)(D,{component:u,to:e,variant:r?`filled`:`subtle`,"aria-current":r?`page`:void 0,size:`compact-sm`,children:n},e)})})}var R=(0,j.lazy)(()=>A(()=>import(`./JourneyGraph-D3G5R1cc.js`).then(e=>e.t).then(e=>({default:e.JourneyGraph})),__vite__mapDeps([0,1,2,3,4,5,6]))),z=(0,j.lazy)(()=>A(()=>import(`./StepEntriesDrawer-BiyHiPi4.js`),__vite__mapDeps([7,1,8,9,4,2,10,11,12,13,14,15,16,17,18,19,20,5,21,22])));function B(e){let[{data:t,error:n}]=v({query:P,variables:{id:e},requestPolicy:`network-only`}),[{data:r,error:i}]=S({query:F,variables:{id:e}},(e,t)=>t.journeyLiveStats),a=r??t?.journey?.liveStats;return{counts:(0,j.useMemo)(()=>a?new Map(a.map(e=>[e.stepId,e.count])):void 0,[a]),error:x(n??i),live:!!r}}function V({journey:e}){let[t,n]=c(),{counts:r,error:i,live:a}=B(e.id),s=t.get(`step`),u=(0,j.useCallback)(e=>n(t=>{let n=new URLSearchParams(t);return n.set(`step`,e),n}),[n]),d=e.problems.filter(e=>!e.stepId),f=r?[...r.values()].reduce((e,t)=>e+t,0):0;return(0,M.jsxs)(_,{gap:`xs`,children:[(0,M.jsxs)(l,{justify:`space-between`,children:[(0,M.jsxs)(g,{size:`sm`,children:[`The number above each step is how many entries are there now`,a?` (live)`:``,`: `,f.toLocaleString(`en-GB`),` in all. Click it to list them.`]}),(0,M.jsx)(H,{})]}),(0,M.jsx)(b,{message:i}),d.length?(0,M.jsxs)(o,{withBorder:!0,p:`xs`,children:[(0,M.jsx)(g,{size:`sm`,fw:600,children:`Problems of the journey as a whole`}),(0,M.jsx)(O,{size:`sm`,children:d.map((e,t)=>(0,M.jsxs)(O.Item,{children:[e.severity,`: `,e.message]},t))})]}):null,(0,M.jsx)(j.Suspense,{fallback:(0,M.jsx)(C,{label:`Loading the graph`}),children:(0,M.jsx)(R,{definition:e.definition,layout:e.layout,problems:e.problems,counts:r,onCountClick:u,height:`max(480px, calc(100vh - 236px))`})}),(0,M.jsx)(j.Suspense,{fallback:null,children:s?(0,M.jsx)(z,{journey:e,stepId:s,onClose:()=>n(e=>{let t=new URLSearchParams(e);return t.delete(`step`),t})}):null})]})}function H(){let e=(e,t)=>(0,M.jsxs)(l,{gap:4,children:[(0,M.jsx)(`span`,{"aria-hidden":!0,style:{display:`inline-block`,width:22,height:0,...e}}),(0,M.jsx)(g,{size:`xs`,children:t})]});return(0,M.jsxs)(l,{gap:`md`,"aria-label":`Legend`,children:[e({borderTop:`2px solid #495057`},`next`),e({borderTop:`2px dashed #e8590c`},`timeout`),e({borderTop:`2px dotted #7048e8`},`goto`),e({border:`2px dotted #c92a2a`,height:10},`not configured`)]})}var U=e({default:()=>Q}),W=(0,j.lazy)(()=>A(()=>import(`./UsersTab-6c8zimNH.js`),__vite__mapDeps([23,1,8,9,4,2,10,11,12,13,14,15,16,17,24,25,26,19,27,20,28,21,22,18,29,7,5,30]))),G=(0,j.lazy)(()=>A(()=>import(`./EntryDetails-Clj8PEPD.js`),__vite__mapDeps([31,1,9,4,2,8,10,11,32,12,13,14,15,16,17,33,20,21,22,18,19,7,5]))),K=(0,j.lazy)(()=>A(()=>import(`./JourneyCommunications-DUjNEaQF.js`),__vite__mapDeps([34,35,1,8,9,4,2,10,11,12,13,14,15,16,17,18,19,26,27,20,28,29,30]))),q=(0,j.lazy)(()=>A(()=>import(`./ReportsTab-CZpIBXfl.js`),__vite__mapDeps([36,1,9,4,2,3,14,37,12,10,11,13,15,16,17,38,27,24,25,33,20,8,29,39]))),J=(0,j.lazy)(()=>A(()=>import(`./VersionsTab-2mjDtMWs.js`),__vite__mapDeps([40,1,10,9,4,2,11,41,32,12,13,14,15,16,17,33,20,8]))),Y=(0,j.lazy)(()=>A(()=>import(`./SegmentRunsTab-D7XBjjDZ.js`),__vite__mapDeps([42,9,1,4,2,20,8]))),X=(0,j.lazy)(()=>A(()=>import(`./EditorScreen-CyvW7VYJ.js`),__vite__mapDeps([43,1,9,4,2,12,10,11,13,14,15,16,17,18,19,26,27,44,22,0,3,5,6,8,21,38,45,25,20]))),Z=[[``,`Graph`],[`edit`,`Edit`],[`users`,`Users`],[`communications`,`Communications`],[`reports`,`Reports`],[`versions`,`Versions`]];function Q(){let{journeyId:e=``}=a(),{pathname:t}=d(),{canEdit:r}=m(),o=`/journeys/${encodeURIComponent(e)}`,[{data:c,fetching:l,error:f}]=v({query:N,variables:{id:e}}),p=c?.journey;if(!p&&!l)return(0,M.jsxs)(_,{children:[(0,M.jsx)(b,{message:x(f)??`There is no journey with this id, or it is outside your access groups.`}),(0,M.jsx)(n,{component:u,to:`/journeys`,children:`Back to the journeys`})]});let h=t.slice(o.length).replace(/^\//,``),g=h.startsWith(`entries`)?`users`:h.split(`/`)[0]??``,y=e=>p?e(p):(0,M.jsx)(C,{});return(0,M.jsxs)(_,{gap:`sm`,children:[p?(0,M.jsx)($,{journey:p}):(0,M.jsx)(C,{label:`Loading the journey`}),(0,M.jsx)(L,{label:`Journey sections`,active:g?`${o}/${g}`:o,tabs:[...Z.filter(([e])=>r||e!==`edit`),...p?.triggerKind===`SCHEDULED_SEGMENT`?[[`runs`,`Segment runs`]]:[]].map(([e,t])=>[e?`${o}/${e}`:o,t])}),(0,M.jsx)(j.Suspense,{fallback:(0,M.jsx)(C,{}),children:(0,M.jsxs)(i,{children:[(0,M.jsx)(s,{index:!0,element:y(e=>(0,M.jsx)(V,{journey:e}))}),(0,M.jsx)(s,{path:`edit`,element:y(e=>(0,M.jsx)(X,{journey:e}))}),(0,M.jsx)(s,{path:`users`,element:(0,M.jsx)(W,{journeyId:e})}),(0,M.jsx)(s,{path:`entries/:entryId`,element:(0,M.jsx)(G,{})}),(0,M.jsx)(s,{path:`communications`,element:(0,M.jsx)(K,{journeyId:e})}),(0,M.jsx)(s,{path:`reports`,element:(0,M.jsx)(q,{journeyId:e})}),(0,M.jsx)(s,{path:`versions`,element:(0,M.jsx)(J,{journeyId:e})}),(0,M.jsx)(s,{path:`runs`,element:(0,M.jsx)(Y,{journeyId:e})})]})})]})}function $({journey:e}){let t=p();return(0,M.jsxs)(l,{justify:`space-between`,align:`flex-start`,children:[(0,M.jsxs)(_,{gap:2,children:[(0,M.jsxs)(l,{gap:`xs`,children:[(0,M.jsx)(n,{component:u,to:`/journeys`,size:`sm`,children:`Journeys`}),(0,M.jsx)(g,{size:`sm`,c:`dimmed`,children:`/`})]}),(0,M.jsxs)(l,{gap:`sm`,children:[(0,M.jsx)(h,{order:2,size:`h3`,children:e.name}),(0,M.jsx)(E,{status:e.status}),(0,M.jsxs)(g,{size:`sm`,children:[`version `,e.version]})]}),(0,M.jsxs)(l,{gap:`md`,children:[(0,M.jsxs)(g,{size:`sm`,children:[`Trigger: `,e.triggerKind]}),(0,M.jsxs)(g,{size:`sm`,children:[`Re-entry: `,e.reentryMode]}),(0,M.jsxs)(g,{size:`sm`,children:[`Control group: `,e.controlGroupPercent,`%`]}),(0,M.jsxs)(g,{size:`sm`,children:[`Activated: `,r(e.activatedAt)]}),e.nextRunAt?(0,M.jsxs)(g,{size:`sm`,children:[`Next run: `,r(e.nextRunAt)]}):null,e.accessGroups.length?(0,M.jsxs)(g,{size:`sm`,children:[`Access groups: `,e.accessGroups.join(`, `)]}):null,e.tags.map(e=>(0,M.jsx)(f,{variant:`outline`,color:`gray`,size:`sm`,styles:{label:{color:`var(--mantine-color-dark-6)`}},children:e},e))]}),e.description?(0,M.jsx)(g,{size:`sm`,children:e.description}):null]}),(0,M.jsx)(k,{journey:e,afterDelete:()=>t(`/journeys`)})]})}export{Q as default,I as n,U as t};