import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,i as n}from"./format-B6DqAFml.js";import{t as r}from"./Button-Tltf2vvg.js";import{d as i,m as a,n as o,t as s}from"./app-DqfJQ3Wj.js";import{t as c}from"./SegmentedControl-BJtgW2ON.js";import{t as l}from"./Select-DqzlK-qD.js";import{K as u,W as d,d as f,f as p,i as m,n as h,o as g,r as _,t as v}from"./feedback-Bum3lcar.js";import{t as y}from"./Table-QEkk7Vlz.js";import{n as b,t as x}from"./Pager-BZAyn77N.js";import{n as S,t as C}from"./jsx-runtime-B5GVbOd8.js";import{n as w}from"./JourneyActions-DlGifPJ7.js";import{t as T}from"./periods-DoggbC1t.js";import{t as E}from"./StatusBadge-C7YmFGMz.js";import{n as D}from"./JourneyScreen-deNSyYOk.js";import{RUNNING as O}from"./StepEntriesDrawer-BiyHiPi4.js";import{t as k}from"./searchParams-B3a69rUd.js";var A=e(S(),1),j=C(),M=m(`
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
`),N=[`ACTIVE`,`WAITING`,`HALTED`,`FROZEN`,`COMPLETED`,`STOPPED`,`EXITED`,`FAILED`];function P({journeyId:e}){let{canEdit:m}=s(),[S,C]=k(),[P,F]=(0,A.useState)(S.get(`search`)??``),[I]=b(P,300),L=S.get(`period`)??`ALL`,R=S.get(`status`),z=S.get(`control`)??`ALL`,[B,V]=(0,A.useState)([null]),[{data:H,fetching:U,error:W}]=p({query:M,variables:{id:e,after:B[B.length-1],search:I||null,period:L===`ALL`?null:L,status:R||null,inControlGroup:z===`ALL`?null:z===`YES`}}),[G,K]=(0,A.useState)(null),[q,J]=(0,A.useState)(null),[Y,X]=f(D),Z=(e,t)=>{C(e,t===`ALL`?null:t),V([null])},Q=H?.journey?.entries.edges.map(e=>e.node)??[];async function $(){if(!G)return;let e=await X({id:G.id,reason:`stopped by an operator`},{additionalTypenames:[`Entry`]}),t=g(e.error,e.data?.stopEntry.errors);if(t)return J(t);K(null)}return(0,j.jsxs)(d,{gap:`xs`,children:[(0,j.jsxs)(a,{align:`flex-end`,gap:`sm`,children:[(0,j.jsx)(i,{label:`Search by username or external id`,value:P,onChange:e=>{F(e.currentTarget.value),Z(`search`,e.currentTarget.value)},w:280}),(0,j.jsxs)(d,{gap:2,children:[(0,j.jsx)(u,{size:`xs`,fw:500,id:`entries-period`,children:`Entered in`}),(0,j.jsx)(c,{"aria-labelledby":`entries-period`,value:L,onChange:e=>Z(`period`,e),data:[{value:`ALL`,label:`All time`},...T]})]}),(0,j.jsx)(l,{label:`Status`,placeholder:`Any status`,data:N,value:R,onChange:e=>Z(`status`,e),clearable:!0,w:150}),(0,j.jsx)(l,{label:`Control group`,data:[{value:`ALL`,label:`Both`},{value:`YES`,label:`Yes`},{value:`NO`,label:`No`}],value:z,onChange:e=>Z(`control`,e),allowDeselect:!1,w:110})]}),(0,j.jsx)(h,{message:g(W)}),U&&!H?(0,j.jsx)(_,{}):null,H&&!Q.length?(0,j.jsx)(v,{children:`No entry matches these filters.`}):null,Q.length?(0,j.jsxs)(y,{striped:!0,highlightOnHover:!0,children:[(0,j.jsx)(y.Thead,{children:(0,j.jsxs)(y.Tr,{children:[(0,j.jsx)(y.Th,{children:`User`}),(0,j.jsx)(y.Th,{children:`Status`}),(0,j.jsx)(y.Th,{children:`Step now`}),(0,j.jsx)(y.Th,{children:`Entered`}),(0,j.jsx)(y.Th,{children:`Converted`}),(0,j.jsx)(y.Th,{children:`Stopped`}),(0,j.jsx)(y.Th,{children:`Control group`}),(0,j.jsx)(y.Th,{children:`Actions`})]})}),(0,j.jsx)(y.Tbody,{children:Q.map(i=>(0,j.jsxs)(y.Tr,{"data-testid":`participant`,children:[(0,j.jsxs)(y.Td,{children:[(0,j.jsx)(t,{component:o,to:`/users/${encodeURIComponent(i.user.id)}`,size:`sm`,children:i.user.username??i.user.externalId}),(0,j.jsxs)(u,{size:`xs`,c:`dimmed`,children:[i.user.externalId,` · round `,i.round]})]}),(0,j.jsx)(y.Td,{children:(0,j.jsx)(E,{status:i.status})}),(0,j.jsx)(y.Td,{children:i.currentStepId??`—`}),(0,j.jsx)(y.Td,{children:n(i.enteredAt)}),(0,j.jsx)(y.Td,{children:n(i.convertedAt)}),(0,j.jsxs)(y.Td,{children:[n(i.stoppedAt),i.stopReason?(0,j.jsx)(u,{size:`xs`,children:i.stopReason}):null]}),(0,j.jsx)(y.Td,{children:i.inControlGroup?`Yes`:`No`}),(0,j.jsx)(y.Td,{children:(0,j.jsxs)(a,{gap:4,wrap:`nowrap`,children:[(0,j.jsx)(r,{component:o,variant:`default`,to:`/journeys/${encodeURIComponent(e)}/entries/${encodeURIComponent(i.id)}`,"aria-label":`Details of ${i.user.externalId}'s entry, round ${i.round}`,children:`Details`}),m&&O.has(i.status)?(0,j.jsx)(r,{color:`red`,variant:`light`,onClick:()=>{J(null),K({id:i.id,who:i.user.externalId})},"aria-label":`Stop ${i.user.externalId}'s entry`,children:`Stop`}):null]})})]},i.id))})]}):null,H?.journey?(0,j.jsx)(x,{total:H.journey.entries.totalCount,pageInfo:H.journey.entries.pageInfo,cursors:B,onChange:V,label:`entries`}):null,(0,j.jsx)(w,{opened:!!G,title:`Stop this entry?`,confirmLabel:`Stop entry`,danger:!0,busy:Y.fetching,error:q,onConfirm:$,onClose:()=>K(null),children:G?`${G.who}'s entry ends now (status STOPPED) and takes no further step.`:null})]})}export{P as default};