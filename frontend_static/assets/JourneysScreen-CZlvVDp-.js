import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,n}from"./format-B6DqAFml.js";import{d as r,l as i,m as a,n as o,p as s,s as c,t as l,u}from"./app-B0wLjX9q.js";import{t as d}from"./Select-CGWkQzwA.js";import{W as f,d as p,f as m,i as h,n as g,o as _,r as v,t as y}from"./feedback-Bum3lcar.js";import{t as b}from"./Table-QEkk7Vlz.js";import{n as x,t as S}from"./Pager-DeBRgL5A.js";import{n as C,t as w}from"./jsx-runtime-B5GVbOd8.js";import{t as T}from"./Button-Tltf2vvg.js";import{n as E,t as D}from"./JourneyActions-CcF8YMRW.js";import{t as O}from"./StatusBadge-CVZ_PeX8.js";var k=e(C(),1),A=w(),j=h(`
  mutation NewJourney($input: JourneyInput!) {
    createJourney(input: $input) {
      journey {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);function M(){let[e,t]=(0,k.useState)(!1),[n,i]=(0,k.useState)(``),[a,o]=(0,k.useState)(null),[s,l]=p(j),u=c();return(0,A.jsxs)(A.Fragment,{children:[(0,A.jsx)(T,{onClick:()=>t(!0),children:`New journey`}),(0,A.jsx)(E,{opened:e,title:`New journey`,confirmLabel:`Create and edit`,busy:s.fetching,error:a,onClose:()=>t(!1),onConfirm:async()=>{let e=await l({input:{name:n.trim(),definition:{trigger:{kind:`API`},steps:[]}}}),t=_(e.error,e.data?.createJourney.errors);if(t){o(t);return}let r=e.data?.createJourney.journey?.id;r&&u(`/journeys/${encodeURIComponent(r)}/edit`)},children:(0,A.jsx)(f,{children:(0,A.jsx)(r,{label:`Name`,value:n,onChange:e=>i(e.currentTarget.value),"data-autofocus":!0})})})]})}var N=h(`
  query Journeys($first: Int, $after: String, $search: String, $status: JourneyStatus, $tag: String, $triggerKind: TriggerKind) {
    journeys(first: $first, after: $after, search: $search, status: $status, tag: $tag, triggerKind: $triggerKind) {
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
`),P=[`DRAFT`,`ACTIVE`,`STOPPED`,`ARCHIVED`],F=25,I=[{value:`EVENT`,label:`Event`},{value:`API`,label:`API`},{value:`SCHEDULED_SEGMENT`,label:`Scheduled segment`}];function L(){let{canEdit:e}=l(),[c,p]=i(),[h,C]=(0,k.useState)(c.get(`search`)??``),[w]=x(h,300),T=c.get(`status`),E=c.get(`tag`)??``,j=c.get(`trigger`),[L,R]=(0,k.useState)([null]),[{data:z,fetching:B,error:V},H]=m({query:N,variables:{first:F,after:L[L.length-1],search:w||null,status:T||null,tag:E||null,triggerKind:j||null}}),U=(e,t)=>{let n=new URLSearchParams(c);t?n.set(e,t):n.delete(e),p(n,{replace:!0}),R([null])},W=z?.journeys.edges.map(e=>e.node)??[];return(0,A.jsxs)(f,{gap:`sm`,children:[(0,A.jsx)(u,{order:2,size:`h3`,children:`Journeys`}),(0,A.jsxs)(a,{align:`flex-end`,children:[(0,A.jsx)(r,{label:`Search by name`,value:h,onChange:e=>{C(e.currentTarget.value),R([null]),U(`search`,e.currentTarget.value||null)},w:260}),(0,A.jsx)(d,{label:`Status`,placeholder:`Any status`,data:P,value:T,onChange:e=>U(`status`,e),clearable:!0,w:160}),(0,A.jsx)(r,{label:`Tag`,value:E,onChange:e=>U(`tag`,e.currentTarget.value||null),w:160}),(0,A.jsx)(d,{label:`Trigger`,placeholder:`Any trigger`,data:I,value:j,onChange:e=>U(`trigger`,e),clearable:!0,w:190}),e?(0,A.jsx)(M,{}):null]}),(0,A.jsx)(g,{message:_(V)}),B&&!z?(0,A.jsx)(v,{}):null,z&&W.length===0?(0,A.jsx)(y,{children:`No journey matches these filters.`}):null,W.length?(0,A.jsxs)(b,{striped:!0,highlightOnHover:!0,children:[(0,A.jsx)(b.Thead,{children:(0,A.jsxs)(b.Tr,{children:[(0,A.jsx)(b.Th,{children:`Name`}),(0,A.jsx)(b.Th,{children:`Status`}),(0,A.jsx)(b.Th,{children:`Tags`}),(0,A.jsx)(b.Th,{children:`Trigger`}),(0,A.jsx)(b.Th,{ta:`right`,children:`Entered`}),(0,A.jsx)(b.Th,{ta:`right`,children:`In progress`}),(0,A.jsx)(b.Th,{ta:`right`,children:`Converted`}),e?(0,A.jsx)(b.Th,{children:`Actions`}):null]})}),(0,A.jsx)(b.Tbody,{children:W.map(r=>(0,A.jsxs)(b.Tr,{children:[(0,A.jsx)(b.Td,{children:(0,A.jsx)(t,{component:o,to:`/journeys/${encodeURIComponent(r.id)}`,size:`sm`,children:r.name})}),(0,A.jsx)(b.Td,{children:(0,A.jsx)(O,{status:r.status})}),(0,A.jsx)(b.Td,{children:(0,A.jsx)(a,{gap:4,children:r.tags.map(e=>(0,A.jsx)(s,{variant:`outline`,color:`gray`,size:`sm`,styles:{label:{color:`var(--mantine-color-dark-6)`}},children:e},e))})}),(0,A.jsx)(b.Td,{children:r.triggerKind}),(0,A.jsx)(b.Td,{ta:`right`,children:n(r.stats.entered)}),(0,A.jsx)(b.Td,{ta:`right`,children:n(r.stats.inProgress)}),(0,A.jsx)(b.Td,{ta:`right`,children:n(r.stats.converted)}),e?(0,A.jsx)(b.Td,{children:(0,A.jsx)(D,{journey:r,afterDelete:()=>H({requestPolicy:`network-only`})})}):null]},r.id))})]}):null,z?(0,A.jsx)(S,{total:z.journeys.totalCount,pageInfo:z.journeys.pageInfo,cursors:L,onChange:R,label:`journeys`}):null]})}export{L as default};