import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{a as t,i as n}from"./format-BFW0noJ6.js";import{S as r,_ as i,a,b as o,c as s,k as c,n as l,o as u,r as d,t as f,u as p,w as m,y as h}from"./app-B7fBDcTS.js";import{t as g}from"./Modal-Dg5JsOLA.js";import{t as _}from"./Select-CuEhcwtW.js";import{t as v}from"./Table-DHgA7plI.js";import{n as y,t as b}from"./Pager-DsyArm2q.js";import{C as x,T as S}from"./preload-helper-CXhCD7sQ.js";import{t as C}from"./periods-DoggbC1t.js";import{t as w}from"./StatusBadge-CiBlpWY-.js";var T=e(S(),1),E=x(),D=a(`
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
`),O=[`EMAIL`,`SMS`,`POPUP`,`PUSH`,`IVR`],k=[`QUEUED`,`SENDING`,`SENT`,`DELIVERED`,`FAILED`,`BOUNCED`,`SUPPRESSED`];function A({journeyId:e}){let[a,x]=i(),[S,A]=(0,T.useState)(a.get(`resource`)??``),[M,N]=(0,T.useState)(a.get(`user`)??``),[P]=y(S,300),[F]=y(M,300),I=a.get(`channel`),L=a.get(`status`),R=a.get(`period`),[z,B]=(0,T.useState)([null]),[V,H]=(0,T.useState)(null),[{data:U,fetching:W,error:G}]=s({query:D,variables:{journeyId:e??null,after:z[z.length-1],resourceName:P||null,search:F||null,channel:I||null,status:L||null,period:R||null}}),K=(e,t)=>{let n=new URLSearchParams(a);t?n.set(e,t):n.delete(e),x(n,{replace:!0}),B([null])},q=U?.communications.edges.map(e=>e.node)??[];return(0,E.jsxs)(o,{gap:`xs`,children:[(0,E.jsxs)(c,{align:`flex-end`,gap:`sm`,children:[(0,E.jsx)(h,{label:`Resource name`,value:S,onChange:e=>{A(e.currentTarget.value),K(`resource`,e.currentTarget.value||null)},w:200}),(0,E.jsx)(_,{label:`Channel`,placeholder:`Any channel`,data:O,value:I,onChange:e=>K(`channel`,e),clearable:!0,w:140}),(0,E.jsx)(_,{label:`Delivery status`,placeholder:`Any status`,data:k,value:L,onChange:e=>K(`status`,e),clearable:!0,w:150}),(0,E.jsx)(_,{label:`Queued in`,placeholder:`All time`,data:C,value:R,onChange:e=>K(`period`,e),clearable:!0,w:120}),(0,E.jsx)(h,{label:`User`,placeholder:`username, external id, email`,value:M,onChange:e=>{N(e.currentTarget.value),K(`user`,e.currentTarget.value||null)},w:200})]}),(0,E.jsx)(l,{message:u(G)}),W&&!U?(0,E.jsx)(d,{}):null,U&&!q.length?(0,E.jsx)(f,{children:`No message matches these filters.`}):null,q.length?(0,E.jsxs)(v,{striped:!0,highlightOnHover:!0,children:[(0,E.jsx)(v.Thead,{children:(0,E.jsxs)(v.Tr,{children:[(0,E.jsx)(v.Th,{children:`Queued`}),(0,E.jsx)(v.Th,{children:`User`}),(0,E.jsx)(v.Th,{children:`Resource`}),e?null:(0,E.jsx)(v.Th,{children:`Journey`}),(0,E.jsx)(v.Th,{children:`Status`}),(0,E.jsx)(v.Th,{children:`First open`}),(0,E.jsx)(v.Th,{children:`First click`}),(0,E.jsx)(v.Th,{children:`Last action`}),(0,E.jsx)(v.Th,{children:`Text`})]})}),(0,E.jsx)(v.Tbody,{children:q.map(i=>(0,E.jsxs)(v.Tr,{"data-testid":`communication`,children:[(0,E.jsx)(v.Td,{children:n(i.queuedAt)}),(0,E.jsx)(v.Td,{children:(0,E.jsx)(t,{component:p,to:`/users/${encodeURIComponent(i.user.id)}`,size:`sm`,children:i.user.username??i.user.externalId})}),(0,E.jsxs)(v.Td,{children:[i.resource.name,(0,E.jsx)(m,{size:`xs`,c:`dimmed`,children:i.channel})]}),e?null:(0,E.jsx)(v.Td,{children:i.journey?(0,E.jsx)(t,{component:p,to:`/journeys/${encodeURIComponent(i.journey.id)}`,size:`sm`,children:i.journey.name}):`—`}),(0,E.jsxs)(v.Td,{children:[(0,E.jsx)(w,{status:i.status}),i.error?(0,E.jsx)(m,{size:`xs`,children:i.error}):null]}),(0,E.jsxs)(v.Td,{children:[n(i.firstOpenAt),i.machineOpened?(0,E.jsx)(m,{size:`xs`,children:`by a mail proxy`}):null]}),(0,E.jsxs)(v.Td,{children:[n(i.firstClickAt),i.clickCount>1?(0,E.jsxs)(m,{size:`xs`,children:[i.clickCount,` clicks`]}):null]}),(0,E.jsx)(v.Td,{style:{maxWidth:220,overflowWrap:`anywhere`},children:i.lastAction??`—`}),(0,E.jsx)(v.Td,{children:(0,E.jsx)(r,{variant:`subtle`,onClick:()=>H(i),"aria-label":`Read the message to ${i.user.externalId}`,children:`Read`})})]},i.id))})]}):null,U?(0,E.jsx)(b,{total:U.communications.totalCount,pageInfo:U.communications.pageInfo,cursors:z,onChange:B,label:`messages`}):null,(0,E.jsx)(g,{opened:!!V,onClose:()=>H(null),title:`Message`,size:`lg`,children:V?(0,E.jsx)(j,{row:V}):null})]})}function j({row:e}){return(0,E.jsxs)(o,{gap:`xs`,children:[(0,E.jsxs)(m,{size:`sm`,children:[e.channel,` to `,e.user.username??e.user.externalId,`, `,e.status.toLowerCase()]}),(0,E.jsx)(m,{size:`xs`,c:`dimmed`,children:`The resource's template (the text before it was filled in for this user):`}),e.resource.subject?(0,E.jsx)(m,{size:`sm`,fw:600,children:e.resource.subject}):null,(0,E.jsx)(m,{size:`sm`,style:{whiteSpace:`pre-wrap`},"data-testid":`message-text`,children:e.resource.body})]})}export{A as n,O as t};