import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,i as n}from"./format-B6DqAFml.js";import{t as r}from"./Button-Tltf2vvg.js";import{d as i,l as a,m as o,n as s,t as c}from"./app-B0wLjX9q.js";import{t as l}from"./SegmentedControl-C3QpAnww.js";import{t as u}from"./Select-CGWkQzwA.js";import{K as d,W as f,d as p,f as m,i as h,n as g,o as _,r as v,t as y}from"./feedback-Bum3lcar.js";import{t as b}from"./Table-QEkk7Vlz.js";import{n as x,t as S}from"./Pager-DeBRgL5A.js";import{n as C,t as w}from"./jsx-runtime-B5GVbOd8.js";import{n as T}from"./JourneyActions-CcF8YMRW.js";import{t as E}from"./periods-DoggbC1t.js";import{t as D}from"./StatusBadge-CVZ_PeX8.js";import{n as O}from"./JourneyScreen-C4DJWyUE.js";import{RUNNING as k}from"./StepEntriesDrawer-DR9dYnEI.js";var A=e(C(),1),j=w(),M=h(`
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
`),N=[`ACTIVE`,`WAITING`,`HALTED`,`FROZEN`,`COMPLETED`,`STOPPED`,`EXITED`,`FAILED`];function P({journeyId:e}){let{canEdit:h}=c(),[C,w]=a(),[P,F]=(0,A.useState)(C.get(`search`)??``),[I]=x(P,300),L=C.get(`period`)??`ALL`,R=C.get(`status`),z=C.get(`control`)??`ALL`,[B,V]=(0,A.useState)([null]),[{data:H,fetching:U,error:W}]=m({query:M,variables:{id:e,after:B[B.length-1],search:I||null,period:L===`ALL`?null:L,status:R||null,inControlGroup:z===`ALL`?null:z===`YES`}}),[G,K]=(0,A.useState)(null),[q,J]=(0,A.useState)(null),[Y,X]=p(O),Z=(e,t)=>{let n=new URLSearchParams(C);t&&t!==`ALL`?n.set(e,t):n.delete(e),w(n,{replace:!0}),V([null])},Q=H?.journey?.entries.edges.map(e=>e.node)??[];async function $(){if(!G)return;let e=await X({id:G.id,reason:`stopped by an operator`},{additionalTypenames:[`Entry`]}),t=_(e.error,e.data?.stopEntry.errors);if(t)return J(t);K(null)}return(0,j.jsxs)(f,{gap:`xs`,children:[(0,j.jsxs)(o,{align:`flex-end`,gap:`sm`,children:[(0,j.jsx)(i,{label:`Search by username or external id`,value:P,onChange:e=>{F(e.currentTarget.value),Z(`search`,e.currentTarget.value)},w:280}),(0,j.jsxs)(f,{gap:2,children:[(0,j.jsx)(d,{size:`xs`,fw:500,id:`entries-period`,children:`Entered in`}),(0,j.jsx)(l,{"aria-labelledby":`entries-period`,value:L,onChange:e=>Z(`period`,e),data:[{value:`ALL`,label:`All time`},...E]})]}),(0,j.jsx)(u,{label:`Status`,placeholder:`Any status`,data:N,value:R,onChange:e=>Z(`status`,e),clearable:!0,w:150}),(0,j.jsx)(u,{label:`Control group`,data:[{value:`ALL`,label:`Both`},{value:`YES`,label:`Yes`},{value:`NO`,label:`No`}],value:z,onChange:e=>Z(`control`,e),allowDeselect:!1,w:110})]}),(0,j.jsx)(g,{message:_(W)}),U&&!H?(0,j.jsx)(v,{}):null,H&&!Q.length?(0,j.jsx)(y,{children:`No entry matches these filters.`}):null,Q.length?(0,j.jsxs)(b,{striped:!0,highlightOnHover:!0,children:[(0,j.jsx)(b.Thead,{children:(0,j.jsxs)(b.Tr,{children:[(0,j.jsx)(b.Th,{children:`User`}),(0,j.jsx)(b.Th,{children:`Status`}),(0,j.jsx)(b.Th,{children:`Step now`}),(0,j.jsx)(b.Th,{children:`Entered`}),(0,j.jsx)(b.Th,{children:`Converted`}),(0,j.jsx)(b.Th,{children:`Stopped`}),(0,j.jsx)(b.Th,{children:`Control group`}),(0,j.jsx)(b.Th,{children:`Actions`})]})}),(0,j.jsx)(b.Tbody,{children:Q.map(i=>(0,j.jsxs)(b.Tr,{"data-testid":`participant`,children:[(0,j.jsxs)(b.Td,{children:[(0,j.jsx)(t,{component:s,to:`/users/${encodeURIComponent(i.user.id)}`,size:`sm`,children:i.user.username??i.user.externalId}),(0,j.jsxs)(d,{size:`xs`,c:`dimmed`,children:[i.user.externalId,` · round `,i.round]})]}),(0,j.jsx)(b.Td,{children:(0,j.jsx)(D,{status:i.status})}),(0,j.jsx)(b.Td,{children:i.currentStepId??`—`}),(0,j.jsx)(b.Td,{children:n(i.enteredAt)}),(0,j.jsx)(b.Td,{children:n(i.convertedAt)}),(0,j.jsxs)(b.Td,{children:[n(i.stoppedAt),i.stopReason?(0,j.jsx)(d,{size:`xs`,children:i.stopReason}):null]}),(0,j.jsx)(b.Td,{children:i.inControlGroup?`Yes`:`No`}),(0,j.jsx)(b.Td,{children:(0,j.jsxs)(o,{gap:4,wrap:`nowrap`,children:[(0,j.jsx)(r,{component:s,variant:`default`,to:`/journeys/${encodeURIComponent(e)}/entries/${encodeURIComponent(i.id)}`,"aria-label":`Details of ${i.user.externalId}'s entry, round ${i.round}`,children:`Details`}),h&&k.has(i.status)?(0,j.jsx)(r,{color:`red`,variant:`light`,onClick:()=>{J(null),K({id:i.id,who:i.user.externalId})},"aria-label":`Stop ${i.user.externalId}'s entry`,children:`Stop`}):null]})})]},i.id))})]}):null,H?.journey?(0,j.jsx)(S,{total:H.journey.entries.totalCount,pageInfo:H.journey.entries.pageInfo,cursors:B,onChange:V,label:`entries`}):null,(0,j.jsx)(T,{opened:!!G,title:`Stop this entry?`,confirmLabel:`Stop entry`,danger:!0,busy:Y.fetching,error:q,onConfirm:$,onClose:()=>K(null),children:G?`${G.who}'s entry ends now (status STOPPED) and takes no further step.`:null})]})}export{P as default};