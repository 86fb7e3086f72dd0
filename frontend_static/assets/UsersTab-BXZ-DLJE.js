import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{a as t,i as n}from"./format-BZ9-UPcI.js";import{A as r,C as i,T as a,a as o,b as s,c,d as l,i as u,l as d,n as f,o as p,r as m,t as h,v as g,x as _}from"./app-k7HIwDFa.js";import{t as v}from"./SegmentedControl-REhHEhn7.js";import{t as y}from"./Select-2vISwdHg.js";import{t as b}from"./Table-DR4KEKBu.js";import{n as x,t as S}from"./Pager-oHYTNnKN.js";import{D as C,T as w}from"./preload-helper-CHNGSWiG.js";import{n as T}from"./JourneyActions-DNfDg6lc.js";import{t as E}from"./periods-DoggbC1t.js";import{t as D}from"./StatusBadge-Dy5bkK2O.js";import{n as O}from"./JourneyScreen-BRmvJw7z.js";import{RUNNING as k}from"./StepEntriesDrawer-Disal-tp.js";var A=e(C(),1),j=w(),M=o(`
  query Participants(
    $id: ID!
    $after: String
    $search: String
    $period: Period
    $status: EntryStatus
    $inControlGroup: Boolean
  ) {
    journey(id: $id) {
      id
      entries(
        first: 50
        after: $after
        search: $search
        period: $period
        status: $status
        inControlGroup: $inControlGroup
      ) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            status
            round
            inControlGroup
            enteredAt
            convertedAt
            stoppedAt
            stopReason
            currentStepId
            user {
              id
              externalId
              username
            }
          }
        }
      }
    }
  }
`),N=[`ACTIVE`,`WAITING`,`HALTED`,`FROZEN`,`COMPLETED`,`STOPPED`,`EXITED`,`FAILED`];function P({journeyId:e}){let{canEdit:o}=u(),[C,w]=g(),[P,F]=(0,A.useState)(C.get(`search`)??``),[I]=x(P,300),L=C.get(`period`)??`ALL`,R=C.get(`status`),z=C.get(`control`)??`ALL`,[B,V]=(0,A.useState)([null]),[{data:H,fetching:U,error:W}]=d({query:M,variables:{id:e,after:B[B.length-1],search:I||null,period:L===`ALL`?null:L,status:R||null,inControlGroup:z===`ALL`?null:z===`YES`}}),[G,K]=(0,A.useState)(null),[q,J]=(0,A.useState)(null),[Y,X]=c(O),Z=(e,t)=>{let n=new URLSearchParams(C);t&&t!==`ALL`?n.set(e,t):n.delete(e),w(n,{replace:!0}),V([null])},Q=H?.journey?.entries.edges.map(e=>e.node)??[];async function $(){if(!G)return;let e=await X({id:G.id,reason:`stopped by an operator`},{additionalTypenames:[`Entry`]}),t=p(e.error,e.data?.stopEntry.errors);if(t)return J(t);K(null)}return(0,j.jsxs)(_,{gap:`xs`,children:[(0,j.jsxs)(r,{align:`flex-end`,gap:`sm`,children:[(0,j.jsx)(s,{label:`Search by username or external id`,value:P,onChange:e=>{F(e.currentTarget.value),Z(`search`,e.currentTarget.value)},w:280}),(0,j.jsxs)(_,{gap:2,children:[(0,j.jsx)(a,{size:`xs`,fw:500,id:`entries-period`,children:`Entered in`}),(0,j.jsx)(v,{"aria-labelledby":`entries-period`,value:L,onChange:e=>Z(`period`,e),data:[{value:`ALL`,label:`All time`},...E]})]}),(0,j.jsx)(y,{label:`Status`,placeholder:`Any status`,data:N,value:R,onChange:e=>Z(`status`,e),clearable:!0,w:150}),(0,j.jsx)(y,{label:`Control group`,data:[{value:`ALL`,label:`Both`},{value:`YES`,label:`Yes`},{value:`NO`,label:`No`}],value:z,onChange:e=>Z(`control`,e),allowDeselect:!1,w:110})]}),(0,j.jsx)(f,{message:p(W)}),U&&!H?(0,j.jsx)(m,{}):null,H&&!Q.length?(0,j.jsx)(h,{children:`No entry matches these filters.`}):null,Q.length?(0,j.jsxs)(b,{striped:!0,highlightOnHover:!0,children:[(0,j.jsx)(b.Thead,{children:(0,j.jsxs)(b.Tr,{children:[(0,j.jsx)(b.Th,{children:`User`}),(0,j.jsx)(b.Th,{children:`Status`}),(0,j.jsx)(b.Th,{children:`Step now`}),(0,j.jsx)(b.Th,{children:`Entered`}),(0,j.jsx)(b.Th,{children:`Converted`}),(0,j.jsx)(b.Th,{children:`Stopped`}),(0,j.jsx)(b.Th,{children:`Control group`}),(0,j.jsx)(b.Th,{children:`Actions`})]})}),(0,j.jsx)(b.Tbody,{children:Q.map(s=>(0,j.jsxs)(b.Tr,{"data-testid":`participant`,children:[(0,j.jsxs)(b.Td,{children:[(0,j.jsx)(t,{component:l,to:`/users/${encodeURIComponent(s.user.id)}`,size:`sm`,children:s.user.username??s.user.externalId}),(0,j.jsxs)(a,{size:`xs`,c:`dimmed`,children:[s.user.externalId,` · round `,s.round]})]}),(0,j.jsx)(b.Td,{children:(0,j.jsx)(D,{status:s.status})}),(0,j.jsx)(b.Td,{children:s.currentStepId??`—`}),(0,j.jsx)(b.Td,{children:n(s.enteredAt)}),(0,j.jsx)(b.Td,{children:n(s.convertedAt)}),(0,j.jsxs)(b.Td,{children:[n(s.stoppedAt),s.stopReason?(0,j.jsx)(a,{size:`xs`,children:s.stopReason}):null]}),(0,j.jsx)(b.Td,{children:s.inControlGroup?`Yes`:`No`}),(0,j.jsx)(b.Td,{children:(0,j.jsxs)(r,{gap:4,wrap:`nowrap`,children:[(0,j.jsx)(i,{component:l,variant:`default`,to:`/journeys/${encodeURIComponent(e)}/entries/${encodeURIComponent(s.id)}`,"aria-label":`Details of ${s.user.externalId}'s entry, round ${s.round}`,children:`Details`}),o&&k.has(s.status)?(0,j.jsx)(i,{color:`red`,variant:`light`,onClick:()=>{J(null),K({id:s.id,who:s.user.externalId})},"aria-label":`Stop ${s.user.externalId}'s entry`,children:`Stop`}):null]})})]},s.id))})]}):null,H?.journey?(0,j.jsx)(S,{total:H.journey.entries.totalCount,pageInfo:H.journey.entries.pageInfo,cursors:B,onChange:V,label:`entries`}):null,(0,j.jsx)(T,{opened:!!G,title:`Stop this entry?`,confirmLabel:`Stop entry`,danger:!0,busy:Y.fetching,error:q,onConfirm:$,onClose:()=>K(null),children:G?`${G.who}'s entry ends now (status STOPPED) and takes no further step.`:null})]})}export{P as default};