import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{a as t,n}from"./format-BZ9-UPcI.js";import{A as r,a as i,b as a,d as o,l as s,n as c,o as l,r as u,t as d,v as f,w as p,x as m,y as h}from"./app-k7HIwDFa.js";import{t as g}from"./Select-2vISwdHg.js";import{t as _}from"./Table-DR4KEKBu.js";import{n as v,t as y}from"./Pager-oHYTNnKN.js";import{D as b,T as x}from"./preload-helper-CHNGSWiG.js";import{t as S}from"./StatusBadge-Dy5bkK2O.js";import{t as C}from"./JourneyActions-DNfDg6lc.js";var w=e(b(),1),T=x(),E=i(`
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
`),D=[`DRAFT`,`ACTIVE`,`STOPPED`,`ARCHIVED`],O=25;function k(){let[e,i]=f(),[b,x]=(0,w.useState)(e.get(`search`)??``),[k]=v(b,300),A=e.get(`status`),j=e.get(`tag`)??``,[M,N]=(0,w.useState)([null]),[{data:P,fetching:F,error:I},L]=s({query:E,variables:{first:O,after:M[M.length-1],search:k||null,status:A||null,tag:j||null}}),R=(t,n)=>{let r=new URLSearchParams(e);n?r.set(t,n):r.delete(t),i(r,{replace:!0}),N([null])},z=P?.journeys.edges.map(e=>e.node)??[];return(0,T.jsxs)(m,{gap:`sm`,children:[(0,T.jsx)(h,{order:2,size:`h3`,children:`Journeys`}),(0,T.jsxs)(r,{align:`flex-end`,children:[(0,T.jsx)(a,{label:`Search by name`,value:b,onChange:e=>{x(e.currentTarget.value),N([null]),R(`search`,e.currentTarget.value||null)},w:260}),(0,T.jsx)(g,{label:`Status`,placeholder:`Any status`,data:D,value:A,onChange:e=>R(`status`,e),clearable:!0,w:160}),(0,T.jsx)(a,{label:`Tag`,value:j,onChange:e=>R(`tag`,e.currentTarget.value||null),w:160})]}),(0,T.jsx)(c,{message:l(I)}),F&&!P?(0,T.jsx)(u,{}):null,P&&z.length===0?(0,T.jsx)(d,{children:`No journey matches these filters.`}):null,z.length?(0,T.jsxs)(_,{striped:!0,highlightOnHover:!0,children:[(0,T.jsx)(_.Thead,{children:(0,T.jsxs)(_.Tr,{children:[(0,T.jsx)(_.Th,{children:`Name`}),(0,T.jsx)(_.Th,{children:`Status`}),(0,T.jsx)(_.Th,{children:`Tags`}),(0,T.jsx)(_.Th,{children:`Trigger`}),(0,T.jsx)(_.Th,{ta:`right`,children:`Entered`}),(0,T.jsx)(_.Th,{ta:`right`,children:`In progress`}),(0,T.jsx)(_.Th,{ta:`right`,children:`Converted`}),(0,T.jsx)(_.Th,{children:`Actions`})]})}),(0,T.jsx)(_.Tbody,{children:z.map(e=>(0,T.jsxs)(_.Tr,{children:[(0,T.jsx)(_.Td,{children:(0,T.jsx)(t,{component:o,to:`/journeys/${encodeURIComponent(e.id)}`,size:`sm`,children:e.name})}),(0,T.jsx)(_.Td,{children:(0,T.jsx)(S,{status:e.status})}),(0,T.jsx)(_.Td,{children:(0,T.jsx)(r,{gap:4,children:e.tags.map(e=>(0,T.jsx)(p,{variant:`outline`,color:`gray`,size:`sm`,styles:{label:{color:`var(--mantine-color-dark-6)`}},children:e},e))})}),(0,T.jsx)(_.Td,{children:e.triggerKind}),(0,T.jsx)(_.Td,{ta:`right`,children:n(e.stats.entered)}),(0,T.jsx)(_.Td,{ta:`right`,children:n(e.stats.inProgress)}),(0,T.jsx)(_.Td,{ta:`right`,children:n(e.stats.converted)}),(0,T.jsx)(_.Td,{children:(0,T.jsx)(C,{journey:e,afterDelete:()=>L({requestPolicy:`network-only`})})})]},e.id))})]}):null,P?(0,T.jsx)(y,{total:P.journeys.totalCount,pageInfo:P.journeys.pageInfo,cursors:M,onChange:N,label:`journeys`}):null]})}export{k as default};