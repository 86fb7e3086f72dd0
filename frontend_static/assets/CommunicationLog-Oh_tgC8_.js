import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,i as n}from"./format-B6DqAFml.js";import{t as r}from"./Button-Tltf2vvg.js";import{d as i,l as a,m as o,n as s}from"./app-B0wLjX9q.js";import{t as c}from"./Modal-DV1Zn2oy.js";import{t as l}from"./Select-CGWkQzwA.js";import{K as u,W as d,f,i as p,n as m,o as h,r as g,t as _}from"./feedback-Bum3lcar.js";import{t as v}from"./Table-QEkk7Vlz.js";import{n as y,t as b}from"./Pager-DeBRgL5A.js";import{n as x,t as S}from"./jsx-runtime-B5GVbOd8.js";import{t as C}from"./periods-DoggbC1t.js";import{t as w}from"./StatusBadge-CVZ_PeX8.js";var T=e(x(),1),E=S(),D=p(`
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
`),O=[`EMAIL`,`SMS`,`POPUP`,`PUSH`,`IVR`],k=[`QUEUED`,`SENDING`,`SENT`,`DELIVERED`,`FAILED`,`BOUNCED`,`SUPPRESSED`];function A({journeyId:e}){let[p,x]=a(),[S,A]=(0,T.useState)(p.get(`resource`)??``),[M,N]=(0,T.useState)(p.get(`user`)??``),[P]=y(S,300),[F]=y(M,300),I=p.get(`channel`),L=p.get(`status`),R=p.get(`period`),[z,B]=(0,T.useState)([null]),[V,H]=(0,T.useState)(null),[{data:U,fetching:W,error:G}]=f({query:D,variables:{journeyId:e??null,after:z[z.length-1],resourceName:P||null,search:F||null,channel:I||null,status:L||null,period:R||null}}),K=(e,t)=>{let n=new URLSearchParams(p);t?n.set(e,t):n.delete(e),x(n,{replace:!0}),B([null])},q=U?.communications.edges.map(e=>e.node)??[];return(0,E.jsxs)(d,{gap:`xs`,children:[(0,E.jsxs)(o,{align:`flex-end`,gap:`sm`,children:[(0,E.jsx)(i,{label:`Resource name`,value:S,onChange:e=>{A(e.currentTarget.value),K(`resource`,e.currentTarget.value||null)},w:200}),(0,E.jsx)(l,{label:`Channel`,placeholder:`Any channel`,data:O,value:I,onChange:e=>K(`channel`,e),clearable:!0,w:140}),(0,E.jsx)(l,{label:`Delivery status`,placeholder:`Any status`,data:k,value:L,onChange:e=>K(`status`,e),clearable:!0,w:150}),(0,E.jsx)(l,{label:`Queued in`,placeholder:`All time`,data:C,value:R,onChange:e=>K(`period`,e),clearable:!0,w:120}),(0,E.jsx)(i,{label:`User`,placeholder:`username, external id, email`,value:M,onChange:e=>{N(e.currentTarget.value),K(`user`,e.currentTarget.value||null)},w:200})]}),(0,E.jsx)(m,{message:h(G)}),W&&!U?(0,E.jsx)(g,{}):null,U&&!q.length?(0,E.jsx)(_,{children:`No message matches these filters.`}):null,q.length?(0,E.jsxs)(v,{striped:!0,highlightOnHover:!0,children:[(0,E.jsx)(v.Thead,{children:(0,E.jsxs)(v.Tr,{children:[(0,E.jsx)(v.Th,{children:`Queued`}),(0,E.jsx)(v.Th,{children:`User`}),(0,E.jsx)(v.Th,{children:`Resource`}),e?null:(0,E.jsx)(v.Th,{children:`Journey`}),(0,E.jsx)(v.Th,{children:`Status`}),(0,E.jsx)(v.Th,{children:`First open / click`}),(0,E.jsx)(v.Th,{children:`Last action`}),(0,E.jsx)(v.Th,{children:`Text`})]})}),(0,E.jsx)(v.Tbody,{children:q.map(i=>(0,E.jsxs)(v.Tr,{"data-testid":`communication`,children:[(0,E.jsx)(v.Td,{children:n(i.queuedAt)}),(0,E.jsx)(v.Td,{children:(0,E.jsx)(t,{component:s,to:`/users/${encodeURIComponent(i.user.id)}`,size:`sm`,children:i.user.username??i.user.externalId})}),(0,E.jsxs)(v.Td,{maw:220,children:[i.resource.name,(0,E.jsx)(u,{size:`xs`,c:`dimmed`,children:i.channel})]}),e?null:(0,E.jsx)(v.Td,{children:i.journey?(0,E.jsx)(t,{component:s,to:`/journeys/${encodeURIComponent(i.journey.id)}`,size:`sm`,children:i.journey.name}):`—`}),(0,E.jsxs)(v.Td,{children:[(0,E.jsx)(w,{status:i.status}),i.error?(0,E.jsx)(u,{size:`xs`,children:i.error}):null]}),(0,E.jsxs)(v.Td,{children:[(0,E.jsxs)(u,{size:`xs`,children:[n(i.firstOpenAt),i.machineOpened?` (mail proxy)`:``]}),(0,E.jsxs)(u,{size:`xs`,children:[n(i.firstClickAt),i.clickCount>1?` (${i.clickCount} clicks)`:``]})]}),(0,E.jsx)(v.Td,{style:{maxWidth:220,overflowWrap:`anywhere`},children:i.lastAction??`—`}),(0,E.jsx)(v.Td,{children:(0,E.jsx)(r,{variant:`subtle`,onClick:()=>H(i),"aria-label":`Read the message to ${i.user.externalId}`,children:`Read`})})]},i.id))})]}):null,U?(0,E.jsx)(b,{total:U.communications.totalCount,pageInfo:U.communications.pageInfo,cursors:z,onChange:B,label:`messages`}):null,(0,E.jsx)(c,{opened:!!V,onClose:()=>H(null),title:`Message`,size:`lg`,children:V?(0,E.jsx)(j,{row:V}):null})]})}function j({row:e}){let t=e.body!==null&&e.body!==void 0,n=t?e.subject:e.resource.subject;return(0,E.jsxs)(d,{gap:`xs`,children:[(0,E.jsxs)(u,{size:`sm`,children:[e.channel,` to `,e.user.username??e.user.externalId,`, `,e.status.toLowerCase(),e.error?` (${e.error})`:``]}),t?null:(0,E.jsx)(u,{size:`xs`,c:`dimmed`,children:`Not rendered yet; the resource's template:`}),n?(0,E.jsx)(u,{size:`sm`,fw:600,"data-testid":`message-subject`,children:n}):null,(0,E.jsx)(u,{size:`sm`,style:{whiteSpace:`pre-wrap`},"data-testid":`message-text`,children:t?e.body:e.resource.body})]})}export{A as n,O as t};