import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,n}from"./format-B6DqAFml.js";import{d as r,m as i,n as a,p as o,s,t as c,u as l}from"./app-DqfJQ3Wj.js";import{t as u}from"./Select-DqzlK-qD.js";import{W as d,d as f,f as p,i as m,n as h,o as g,r as _,t as v}from"./feedback-Bum3lcar.js";import{t as y}from"./Table-QEkk7Vlz.js";import{n as b,t as x}from"./Pager-BZAyn77N.js";import{n as S,t as C}from"./jsx-runtime-B5GVbOd8.js";import{t as w}from"./Button-Tltf2vvg.js";import{n as T,t as E}from"./JourneyActions-DlGifPJ7.js";import{t as D}from"./StatusBadge-C7YmFGMz.js";import{t as O}from"./searchParams-B3a69rUd.js";var k=e(S(),1),A=C(),j=m(`
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
`);function M(){let[e,t]=(0,k.useState)(!1),[n,i]=(0,k.useState)(``),[a,o]=(0,k.useState)(null),[c,l]=f(j),u=s();return(0,A.jsxs)(A.Fragment,{children:[(0,A.jsx)(w,{onClick:()=>t(!0),children:`New journey`}),(0,A.jsx)(T,{opened:e,title:`New journey`,confirmLabel:`Create and edit`,busy:c.fetching,error:a,onClose:()=>t(!1),onConfirm:async()=>{let e=await l({input:{name:n.trim(),definition:{trigger:{kind:`API`},steps:[]}}}),t=g(e.error,e.data?.createJourney.errors);if(t){o(t);return}let r=e.data?.createJourney.journey?.id;r&&u(`/journeys/${encodeURIComponent(r)}/edit`)},children:(0,A.jsx)(d,{children:(0,A.jsx)(r,{label:`Name`,value:n,onChange:e=>i(e.currentTarget.value),"data-autofocus":!0})})})]})}var N=m(`
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
`),P=[`DRAFT`,`ACTIVE`,`STOPPED`,`ARCHIVED`],F=25,I=[{value:`EVENT`,label:`Event`},{value:`API`,label:`API`},{value:`SCHEDULED_SEGMENT`,label:`Scheduled segment`}];function L(){let{canEdit:e}=c(),[s,f]=O(),[m,S]=(0,k.useState)(s.get(`search`)??``),[C]=b(m,300),w=s.get(`status`),T=s.get(`tag`)??``,j=s.get(`trigger`),[L,R]=(0,k.useState)([null]),[{data:z,fetching:B,error:V},H]=p({query:N,variables:{first:F,after:L[L.length-1],search:C||null,status:w||null,tag:T||null,triggerKind:j||null}}),U=(e,t)=>{f(e,t),R([null])},W=z?.journeys.edges.map(e=>e.node)??[];return(0,A.jsxs)(d,{gap:`sm`,children:[(0,A.jsx)(l,{order:2,size:`h3`,children:`Journeys`}),(0,A.jsxs)(i,{align:`flex-end`,children:[(0,A.jsx)(r,{label:`Search by name`,value:m,onChange:e=>{S(e.currentTarget.value),R([null]),U(`search`,e.currentTarget.value||null)},w:260}),(0,A.jsx)(u,{label:`Status`,placeholder:`Any status`,data:P,value:w,onChange:e=>U(`status`,e),clearable:!0,w:160}),(0,A.jsx)(r,{label:`Tag`,value:T,onChange:e=>U(`tag`,e.currentTarget.value||null),w:160}),(0,A.jsx)(u,{label:`Trigger`,placeholder:`Any trigger`,data:I,value:j,onChange:e=>U(`trigger`,e),clearable:!0,w:190}),e?(0,A.jsx)(M,{}):null]}),(0,A.jsx)(h,{message:g(V)}),B&&!z?(0,A.jsx)(_,{}):null,z&&W.length===0?(0,A.jsx)(v,{children:`No journey matches these filters.`}):null,W.length?(0,A.jsxs)(y,{striped:!0,highlightOnHover:!0,children:[(0,A.jsx)(y.Thead,{children:(0,A.jsxs)(y.Tr,{children:[(0,A.jsx)(y.Th,{children:`Name`}),(0,A.jsx)(y.Th,{children:`Status`}),(0,A.jsx)(y.Th,{children:`Tags`}),(0,A.jsx)(y.Th,{children:`Trigger`}),(0,A.jsx)(y.Th,{ta:`right`,children:`Entered`}),(0,A.jsx)(y.Th,{ta:`right`,children:`In progress`}),(0,A.jsx)(y.Th,{ta:`right`,children:`Converted`}),e?(0,A.jsx)(y.Th,{children:`Actions`}):null]})}),(0,A.jsx)(y.Tbody,{children:W.map(r=>(0,A.jsxs)(y.Tr,{children:[(0,A.jsx)(y.Td,{children:(0,A.jsx)(t,{component:a,to:`/journeys/${encodeURIComponent(r.id)}`,size:`sm`,children:r.name})}),(0,A.jsx)(y.Td,{children:(0,A.jsx)(D,{status:r.status})}),(0,A.jsx)(y.Td,{children:(0,A.jsx)(i,{gap:4,children:r.tags.map(e=>(0,A.jsx)(o,{variant:`outline`,color:`gray`,size:`sm`,styles:{label:{color:`var(--mantine-color-dark-6)`}},children:e},e))})}),(0,A.jsx)(y.Td,{children:r.triggerKind}),(0,A.jsx)(y.Td,{ta:`right`,children:n(r.stats.entered)}),(0,A.jsx)(y.Td,{ta:`right`,children:n(r.stats.inProgress)}),(0,A.jsx)(y.Td,{ta:`right`,children:n(r.stats.converted)}),e?(0,A.jsx)(y.Td,{children:(0,A.jsx)(E,{journey:r,afterDelete:()=>H({requestPolicy:`network-only`})})}):null]},r.id))})]}):null,z?(0,A.jsx)(x,{total:z.journeys.totalCount,pageInfo:z.journeys.pageInfo,cursors:L,onChange:R,label:`journeys`}):null]})}export{L as default};