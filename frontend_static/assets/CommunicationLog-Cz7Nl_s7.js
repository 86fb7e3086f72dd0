import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,i as n}from"./format-B6DqAFml.js";import{t as r}from"./Button-Tltf2vvg.js";import{d as i,m as a,n as o}from"./app-DqfJQ3Wj.js";import{t as s}from"./Modal-DuxPGo_Y.js";import{t as c}from"./Select-DqzlK-qD.js";import{K as l,W as u,f as d,i as f,n as p,o as m,r as h,t as g}from"./feedback-Bum3lcar.js";import{t as _}from"./Table-QEkk7Vlz.js";import{n as v,t as y}from"./Pager-BZAyn77N.js";import{n as b,t as x}from"./jsx-runtime-B5GVbOd8.js";import{t as S}from"./periods-DoggbC1t.js";import{t as C}from"./StatusBadge-C7YmFGMz.js";import{t as w}from"./searchParams-B3a69rUd.js";var T=e(b(),1),E=x(),D=f(`
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
`),O=[`EMAIL`,`SMS`,`POPUP`,`PUSH`,`IVR`],k=[`QUEUED`,`SENDING`,`SENT`,`DELIVERED`,`FAILED`,`BOUNCED`,`SUPPRESSED`];function A({journeyId:e}){let[f,b]=w(),[x,A]=(0,T.useState)(f.get(`resource`)??``),[M,N]=(0,T.useState)(f.get(`user`)??``),[P]=v(x,300),[F]=v(M,300),I=f.get(`channel`),L=f.get(`status`),R=f.get(`period`),[z,B]=(0,T.useState)([null]),[V,H]=(0,T.useState)(null),[{data:U,fetching:W,error:G}]=d({query:D,variables:{journeyId:e??null,after:z[z.length-1],resourceName:P||null,search:F||null,channel:I||null,status:L||null,period:R||null}}),K=(e,t)=>{b(e,t),B([null])},q=U?.communications.edges.map(e=>e.node)??[];return(0,E.jsxs)(u,{gap:`xs`,children:[(0,E.jsxs)(a,{align:`flex-end`,gap:`sm`,children:[(0,E.jsx)(i,{label:`Resource name`,value:x,onChange:e=>{A(e.currentTarget.value),K(`resource`,e.currentTarget.value||null)},w:200}),(0,E.jsx)(c,{label:`Channel`,placeholder:`Any channel`,data:O,value:I,onChange:e=>K(`channel`,e),clearable:!0,w:140}),(0,E.jsx)(c,{label:`Delivery status`,placeholder:`Any status`,data:k,value:L,onChange:e=>K(`status`,e),clearable:!0,w:150}),(0,E.jsx)(c,{label:`Queued in`,placeholder:`All time`,data:S,value:R,onChange:e=>K(`period`,e),clearable:!0,w:120}),(0,E.jsx)(i,{label:`User`,placeholder:`username, external id, email`,value:M,onChange:e=>{N(e.currentTarget.value),K(`user`,e.currentTarget.value||null)},w:200})]}),(0,E.jsx)(p,{message:m(G)}),W&&!U?(0,E.jsx)(h,{}):null,U&&!q.length?(0,E.jsx)(g,{children:`No message matches these filters.`}):null,q.length?(0,E.jsxs)(_,{striped:!0,highlightOnHover:!0,children:[(0,E.jsx)(_.Thead,{children:(0,E.jsxs)(_.Tr,{children:[(0,E.jsx)(_.Th,{children:`Queued`}),(0,E.jsx)(_.Th,{children:`User`}),(0,E.jsx)(_.Th,{children:`Resource`}),e?null:(0,E.jsx)(_.Th,{children:`Journey`}),(0,E.jsx)(_.Th,{children:`Status`}),(0,E.jsx)(_.Th,{children:`First open / click`}),(0,E.jsx)(_.Th,{children:`Last action`}),(0,E.jsx)(_.Th,{children:`Text`})]})}),(0,E.jsx)(_.Tbody,{children:q.map(i=>(0,E.jsxs)(_.Tr,{"data-testid":`communication`,children:[(0,E.jsx)(_.Td,{children:n(i.queuedAt)}),(0,E.jsx)(_.Td,{children:(0,E.jsx)(t,{component:o,to:`/users/${encodeURIComponent(i.user.id)}`,size:`sm`,children:i.user.username??i.user.externalId})}),(0,E.jsxs)(_.Td,{maw:220,children:[i.resource.name,(0,E.jsx)(l,{size:`xs`,c:`dimmed`,children:i.channel})]}),e?null:(0,E.jsx)(_.Td,{children:i.journey?(0,E.jsx)(t,{component:o,to:`/journeys/${encodeURIComponent(i.journey.id)}`,size:`sm`,children:i.journey.name}):`—`}),(0,E.jsxs)(_.Td,{children:[(0,E.jsx)(C,{status:i.status}),i.error?(0,E.jsx)(l,{size:`xs`,children:i.error}):null]}),(0,E.jsxs)(_.Td,{children:[(0,E.jsxs)(l,{size:`xs`,children:[n(i.firstOpenAt),i.machineOpened?` (mail proxy)`:``]}),(0,E.jsxs)(l,{size:`xs`,children:[n(i.firstClickAt),i.clickCount>1?` (${i.clickCount} clicks)`:``]})]}),(0,E.jsx)(_.Td,{style:{maxWidth:220,overflowWrap:`anywhere`},children:i.lastAction??`—`}),(0,E.jsx)(_.Td,{children:(0,E.jsx)(r,{variant:`subtle`,onClick:()=>H(i),"aria-label":`Read the message to ${i.user.externalId}`,children:`Read`})})]},i.id))})]}):null,U?(0,E.jsx)(y,{total:U.communications.totalCount,pageInfo:U.communications.pageInfo,cursors:z,onChange:B,label:`messages`}):null,(0,E.jsx)(s,{opened:!!V,onClose:()=>H(null),title:`Message`,size:`lg`,children:V?(0,E.jsx)(j,{row:V}):null})]})}function j({row:e}){let t=e.body!==null&&e.body!==void 0,n=t?e.subject:e.resource.subject;return(0,E.jsxs)(u,{gap:`xs`,children:[(0,E.jsxs)(l,{size:`sm`,children:[e.channel,` to `,e.user.username??e.user.externalId,`, `,e.status.toLowerCase(),e.error?` (${e.error})`:``]}),t?null:(0,E.jsx)(l,{size:`xs`,c:`dimmed`,children:`Not rendered yet; the resource's template:`}),n?(0,E.jsx)(l,{size:`sm`,fw:600,"data-testid":`message-subject`,children:n}):null,(0,E.jsx)(l,{size:`sm`,style:{whiteSpace:`pre-wrap`},"data-testid":`message-text`,children:t?e.body:e.resource.body})]})}export{A as n,O as t};