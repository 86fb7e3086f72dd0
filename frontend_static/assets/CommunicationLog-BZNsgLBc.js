import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{a as t,i as n}from"./format-BZ9-UPcI.js";import{A as r,C as i,T as a,a as o,b as s,d as c,l,n as u,o as d,r as f,t as p,v as m,x as h}from"./app-k7HIwDFa.js";import{t as g}from"./Modal-DiLGcckn.js";import{t as _}from"./Select-2vISwdHg.js";import{t as v}from"./Table-DR4KEKBu.js";import{n as y,t as b}from"./Pager-oHYTNnKN.js";import{D as x,T as S}from"./preload-helper-CHNGSWiG.js";import{t as C}from"./periods-DoggbC1t.js";import{t as w}from"./StatusBadge-Dy5bkK2O.js";var T=e(x(),1),E=S(),D=o(`
  query CommunicationLog(
    $journeyId: ID
    $after: String
    $resourceName: String
    $channel: Channel
    $status: DeliveryStatus
    $period: Period
    $search: String
  ) {
    communications(
      first: 50
      after: $after
      journeyId: $journeyId
      resourceName: $resourceName
      channel: $channel
      status: $status
      period: $period
      search: $search
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          channel
          status
          error
          queuedAt
          sentAt
          deliveredAt
          firstOpenAt
          machineOpened
          firstClickAt
          lastAction
          clickCount
          subject
          body
          resource {
            id
            name
            subject
            body
          }
          user {
            id
            externalId
            username
          }
          journey {
            id
            name
          }
        }
      }
    }
  }
`),O=[`EMAIL`,`SMS`,`POPUP`,`PUSH`,`IVR`],k=[`QUEUED`,`SENDING`,`SENT`,`DELIVERED`,`FAILED`,`BOUNCED`,`SUPPRESSED`];function A({journeyId:e}){let[o,x]=m(),[S,A]=(0,T.useState)(o.get(`resource`)??``),[M,N]=(0,T.useState)(o.get(`user`)??``),[P]=y(S,300),[F]=y(M,300),I=o.get(`channel`),L=o.get(`status`),R=o.get(`period`),[z,B]=(0,T.useState)([null]),[V,H]=(0,T.useState)(null),[{data:U,fetching:W,error:G}]=l({query:D,variables:{journeyId:e??null,after:z[z.length-1],resourceName:P||null,search:F||null,channel:I||null,status:L||null,period:R||null}}),K=(e,t)=>{let n=new URLSearchParams(o);t?n.set(e,t):n.delete(e),x(n,{replace:!0}),B([null])},q=U?.communications.edges.map(e=>e.node)??[];return(0,E.jsxs)(h,{gap:`xs`,children:[(0,E.jsxs)(r,{align:`flex-end`,gap:`sm`,children:[(0,E.jsx)(s,{label:`Resource name`,value:S,onChange:e=>{A(e.currentTarget.value),K(`resource`,e.currentTarget.value||null)},w:200}),(0,E.jsx)(_,{label:`Channel`,placeholder:`Any channel`,data:O,value:I,onChange:e=>K(`channel`,e),clearable:!0,w:140}),(0,E.jsx)(_,{label:`Delivery status`,placeholder:`Any status`,data:k,value:L,onChange:e=>K(`status`,e),clearable:!0,w:150}),(0,E.jsx)(_,{label:`Queued in`,placeholder:`All time`,data:C,value:R,onChange:e=>K(`period`,e),clearable:!0,w:120}),(0,E.jsx)(s,{label:`User`,placeholder:`username, external id, email`,value:M,onChange:e=>{N(e.currentTarget.value),K(`user`,e.currentTarget.value||null)},w:200})]}),(0,E.jsx)(u,{message:d(G)}),W&&!U?(0,E.jsx)(f,{}):null,U&&!q.length?(0,E.jsx)(p,{children:`No message matches these filters.`}):null,q.length?(0,E.jsxs)(v,{striped:!0,highlightOnHover:!0,children:[(0,E.jsx)(v.Thead,{children:(0,E.jsxs)(v.Tr,{children:[(0,E.jsx)(v.Th,{children:`Queued`}),(0,E.jsx)(v.Th,{children:`User`}),(0,E.jsx)(v.Th,{children:`Resource`}),e?null:(0,E.jsx)(v.Th,{children:`Journey`}),(0,E.jsx)(v.Th,{children:`Status`}),(0,E.jsx)(v.Th,{children:`First open / click`}),(0,E.jsx)(v.Th,{children:`Last action`}),(0,E.jsx)(v.Th,{children:`Text`})]})}),(0,E.jsx)(v.Tbody,{children:q.map(r=>(0,E.jsxs)(v.Tr,{"data-testid":`communication`,children:[(0,E.jsx)(v.Td,{children:n(r.queuedAt)}),(0,E.jsx)(v.Td,{children:(0,E.jsx)(t,{component:c,to:`/users/${encodeURIComponent(r.user.id)}`,size:`sm`,children:r.user.username??r.user.externalId})}),(0,E.jsxs)(v.Td,{maw:220,children:[r.resource.name,(0,E.jsx)(a,{size:`xs`,c:`dimmed`,children:r.channel})]}),e?null:(0,E.jsx)(v.Td,{children:r.journey?(0,E.jsx)(t,{component:c,to:`/journeys/${encodeURIComponent(r.journey.id)}`,size:`sm`,children:r.journey.name}):`—`}),(0,E.jsxs)(v.Td,{children:[(0,E.jsx)(w,{status:r.status}),r.error?(0,E.jsx)(a,{size:`xs`,children:r.error}):null]}),(0,E.jsxs)(v.Td,{children:[(0,E.jsxs)(a,{size:`xs`,children:[n(r.firstOpenAt),r.machineOpened?` (mail proxy)`:``]}),(0,E.jsxs)(a,{size:`xs`,children:[n(r.firstClickAt),r.clickCount>1?` (${r.clickCount} clicks)`:``]})]}),(0,E.jsx)(v.Td,{style:{maxWidth:220,overflowWrap:`anywhere`},children:r.lastAction??`—`}),(0,E.jsx)(v.Td,{children:(0,E.jsx)(i,{variant:`subtle`,onClick:()=>H(r),"aria-label":`Read the message to ${r.user.externalId}`,children:`Read`})})]},r.id))})]}):null,U?(0,E.jsx)(b,{total:U.communications.totalCount,pageInfo:U.communications.pageInfo,cursors:z,onChange:B,label:`messages`}):null,(0,E.jsx)(g,{opened:!!V,onClose:()=>H(null),title:`Message`,size:`lg`,children:V?(0,E.jsx)(j,{row:V}):null})]})}function j({row:e}){let t=e.body!==null&&e.body!==void 0,n=t?e.subject:e.resource.subject;return(0,E.jsxs)(h,{gap:`xs`,children:[(0,E.jsxs)(a,{size:`sm`,children:[e.channel,` to `,e.user.username??e.user.externalId,`, `,e.status.toLowerCase(),e.error?` (${e.error})`:``]}),t?null:(0,E.jsx)(a,{size:`xs`,c:`dimmed`,children:`Not rendered yet; the resource's template:`}),n?(0,E.jsx)(a,{size:`sm`,fw:600,"data-testid":`message-subject`,children:n}):null,(0,E.jsx)(a,{size:`sm`,style:{whiteSpace:`pre-wrap`},"data-testid":`message-text`,children:t?e.body:e.resource.body})]})}export{A as n,O as t};