import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,n}from"./format-gbdNBq_j.js";import{d as r,l as i,m as a,n as o,p as s,u as c}from"./app-Dy8rRTet.js";import{t as l}from"./Select-XfnKVE52.js";import{W as u,f as d,i as f,n as p,o as m,r as h,t as g}from"./feedback-CLhFjJTY.js";import{t as _}from"./Table-Bhch2j_W.js";import{n as v,t as y}from"./Pager-1Bb6Gh5-.js";import{D as b,T as x}from"./preload-helper-DlvYQrOn.js";import{t as S}from"./StatusBadge-35VOTwgN.js";import{t as C}from"./JourneyActions-bd4ZQkAx.js";var w=e(b(),1),T=x(),E=f(`
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
`),D=[`DRAFT`,`ACTIVE`,`STOPPED`,`ARCHIVED`],O=25;function k(){let[e,f]=i(),[b,x]=(0,w.useState)(e.get(`search`)??``),[k]=v(b,300),A=e.get(`status`),j=e.get(`tag`)??``,[M,N]=(0,w.useState)([null]),[{data:P,fetching:F,error:I},L]=d({query:E,variables:{first:O,after:M[M.length-1],search:k||null,status:A||null,tag:j||null}}),R=(t,n)=>{let r=new URLSearchParams(e);n?r.set(t,n):r.delete(t),f(r,{replace:!0}),N([null])},z=P?.journeys.edges.map(e=>e.node)??[];return(0,T.jsxs)(u,{gap:`sm`,children:[(0,T.jsx)(c,{order:2,size:`h3`,children:`Journeys`}),(0,T.jsxs)(a,{align:`flex-end`,children:[(0,T.jsx)(r,{label:`Search by name`,value:b,onChange:e=>{x(e.currentTarget.value),N([null]),R(`search`,e.currentTarget.value||null)},w:260}),(0,T.jsx)(l,{label:`Status`,placeholder:`Any status`,data:D,value:A,onChange:e=>R(`status`,e),clearable:!0,w:160}),(0,T.jsx)(r,{label:`Tag`,value:j,onChange:e=>R(`tag`,e.currentTarget.value||null),w:160})]}),(0,T.jsx)(p,{message:m(I)}),F&&!P?(0,T.jsx)(h,{}):null,P&&z.length===0?(0,T.jsx)(g,{children:`No journey matches these filters.`}):null,z.length?(0,T.jsxs)(_,{striped:!0,highlightOnHover:!0,children:[(0,T.jsx)(_.Thead,{children:(0,T.jsxs)(_.Tr,{children:[(0,T.jsx)(_.Th,{children:`Name`}),(0,T.jsx)(_.Th,{children:`Status`}),(0,T.jsx)(_.Th,{children:`Tags`}),(0,T.jsx)(_.Th,{children:`Trigger`}),(0,T.jsx)(_.Th,{ta:`right`,children:`Entered`}),(0,T.jsx)(_.Th,{ta:`right`,children:`In progress`}),(0,T.jsx)(_.Th,{ta:`right`,children:`Converted`}),(0,T.jsx)(_.Th,{children:`Actions`})]})}),(0,T.jsx)(_.Tbody,{children:z.map(e=>(0,T.jsxs)(_.Tr,{children:[(0,T.jsx)(_.Td,{children:(0,T.jsx)(t,{component:o,to:`/journeys/${encodeURIComponent(e.id)}`,size:`sm`,children:e.name})}),(0,T.jsx)(_.Td,{children:(0,T.jsx)(S,{status:e.status})}),(0,T.jsx)(_.Td,{children:(0,T.jsx)(a,{gap:4,children:e.tags.map(e=>(0,T.jsx)(s,{variant:`outline`,color:`gray`,size:`sm`,styles:{label:{color:`var(--mantine-color-dark-6)`}},children:e},e))})}),(0,T.jsx)(_.Td,{children:e.triggerKind}),(0,T.jsx)(_.Td,{ta:`right`,children:n(e.stats.entered)}),(0,T.jsx)(_.Td,{ta:`right`,children:n(e.stats.inProgress)}),(0,T.jsx)(_.Td,{ta:`right`,children:n(e.stats.converted)}),(0,T.jsx)(_.Td,{children:(0,T.jsx)(C,{journey:e,afterDelete:()=>L({requestPolicy:`network-only`})})})]},e.id))})]}):null,P?(0,T.jsx)(y,{total:P.journeys.totalCount,pageInfo:P.journeys.pageInfo,cursors:M,onChange:N,label:`journeys`}):null]})}export{k as default};