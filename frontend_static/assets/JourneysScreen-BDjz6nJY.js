import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,n}from"./format-gbdNBq_j.js";import{d as r,l as i,m as a,n as o,p as s,t as c,u as l}from"./app-DtywuLxz.js";import{t as u}from"./Select-DvukXlRm.js";import{W as d,f,i as p,n as m,o as h,r as g,t as _}from"./feedback-CLhFjJTY.js";import{t as v}from"./Table-Bhch2j_W.js";import{n as y,t as b}from"./Pager-T8ZiqXZP.js";import{D as x,T as S}from"./preload-helper-DlvYQrOn.js";import{t as C}from"./StatusBadge-iwKtv9cr.js";import{t as w}from"./JourneyActions-BfLJ9XRp.js";var T=e(x(),1),E=S(),D=p(`
  query Journeys($first: Int, $after: String, $search: String, $status: JourneyStatus, $tag: String) {
    journeys(first: $first, after: $after, search: $search, status: $status, tag: $tag) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          status
          tags
          triggerKind
          version
          freezeOnStop
          problems {
            stepId
            severity
            message
          }
          stats {
            entered
            inProgress
            converted
          }
        }
      }
    }
  }
`),O=[`DRAFT`,`ACTIVE`,`STOPPED`,`ARCHIVED`],k=25;function A(){let{canEdit:e}=c(),[p,x]=i(),[S,A]=(0,T.useState)(p.get(`search`)??``),[j]=y(S,300),M=p.get(`status`),N=p.get(`tag`)??``,[P,F]=(0,T.useState)([null]),[{data:I,fetching:L,error:R},z]=f({query:D,variables:{first:k,after:P[P.length-1],search:j||null,status:M||null,tag:N||null}}),B=(e,t)=>{let n=new URLSearchParams(p);t?n.set(e,t):n.delete(e),x(n,{replace:!0}),F([null])},V=I?.journeys.edges.map(e=>e.node)??[];return(0,E.jsxs)(d,{gap:`sm`,children:[(0,E.jsx)(l,{order:2,size:`h3`,children:`Journeys`}),(0,E.jsxs)(a,{align:`flex-end`,children:[(0,E.jsx)(r,{label:`Search by name`,value:S,onChange:e=>{A(e.currentTarget.value),F([null]),B(`search`,e.currentTarget.value||null)},w:260}),(0,E.jsx)(u,{label:`Status`,placeholder:`Any status`,data:O,value:M,onChange:e=>B(`status`,e),clearable:!0,w:160}),(0,E.jsx)(r,{label:`Tag`,value:N,onChange:e=>B(`tag`,e.currentTarget.value||null),w:160})]}),(0,E.jsx)(m,{message:h(R)}),L&&!I?(0,E.jsx)(g,{}):null,I&&V.length===0?(0,E.jsx)(_,{children:`No journey matches these filters.`}):null,V.length?(0,E.jsxs)(v,{striped:!0,highlightOnHover:!0,children:[(0,E.jsx)(v.Thead,{children:(0,E.jsxs)(v.Tr,{children:[(0,E.jsx)(v.Th,{children:`Name`}),(0,E.jsx)(v.Th,{children:`Status`}),(0,E.jsx)(v.Th,{children:`Tags`}),(0,E.jsx)(v.Th,{children:`Trigger`}),(0,E.jsx)(v.Th,{ta:`right`,children:`Entered`}),(0,E.jsx)(v.Th,{ta:`right`,children:`In progress`}),(0,E.jsx)(v.Th,{ta:`right`,children:`Converted`}),e?(0,E.jsx)(v.Th,{children:`Actions`}):null]})}),(0,E.jsx)(v.Tbody,{children:V.map(r=>(0,E.jsxs)(v.Tr,{children:[(0,E.jsx)(v.Td,{children:(0,E.jsx)(t,{component:o,to:`/journeys/${encodeURIComponent(r.id)}`,size:`sm`,children:r.name})}),(0,E.jsx)(v.Td,{children:(0,E.jsx)(C,{status:r.status})}),(0,E.jsx)(v.Td,{children:(0,E.jsx)(a,{gap:4,children:r.tags.map(e=>(0,E.jsx)(s,{variant:`outline`,color:`gray`,size:`sm`,styles:{label:{color:`var(--mantine-color-dark-6)`}},children:e},e))})}),(0,E.jsx)(v.Td,{children:r.triggerKind}),(0,E.jsx)(v.Td,{ta:`right`,children:n(r.stats.entered)}),(0,E.jsx)(v.Td,{ta:`right`,children:n(r.stats.inProgress)}),(0,E.jsx)(v.Td,{ta:`right`,children:n(r.stats.converted)}),e?(0,E.jsx)(v.Td,{children:(0,E.jsx)(w,{journey:r,afterDelete:()=>z({requestPolicy:`network-only`})})}):null]},r.id))})]}):null,I?(0,E.jsx)(b,{total:I.journeys.totalCount,pageInfo:I.journeys.pageInfo,cursors:P,onChange:F,label:`journeys`}):null]})}export{A as default};