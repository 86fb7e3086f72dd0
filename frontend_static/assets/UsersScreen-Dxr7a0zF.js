import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{a as t,i as n,n as r}from"./format-B6DqAFml.js";import{W as i,f as a,i as o,n as s,o as c,r as l,t as u}from"./feedback-Bum3lcar.js";import{t as d}from"./Table-QEkk7Vlz.js";import{d as f,l as p,n as m,u as h}from"./app-DqfJQ3Wj.js";import{n as g,t as _}from"./Pager-BZAyn77N.js";import{n as v,t as y}from"./jsx-runtime-B5GVbOd8.js";var b=e(v(),1),x=y(),S=o(`
  query Users($search: String, $after: String) {
    users(search: $search, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          externalId
          username
          email
          phone
          timezone
          createdAt
          financial {
            depositCount
            depositTotal
          }
        }
      }
    }
  }
`);function C(){let[e,o]=p(),[v,y]=(0,b.useState)(e.get(`search`)??``),[C]=g(v,300),[w,T]=(0,b.useState)([null]),[{data:E,fetching:D,error:O}]=a({query:S,variables:{search:C||null,after:w[w.length-1]}}),k=E?.users.edges.map(e=>e.node)??[];return(0,x.jsxs)(i,{gap:`sm`,children:[(0,x.jsx)(h,{order:2,size:`h3`,children:`Users`}),(0,x.jsx)(f,{label:`Find a user by username, external id, email or phone`,value:v,onChange:e=>{let t=e.currentTarget.value;y(t),T([null]),o(t?{search:t}:{},{replace:!0})},w:360}),(0,x.jsx)(s,{message:c(O)}),D&&!E?(0,x.jsx)(l,{}):null,E&&!k.length?(0,x.jsx)(u,{children:`No user matches.`}):null,k.length?(0,x.jsxs)(d,{striped:!0,highlightOnHover:!0,children:[(0,x.jsx)(d.Thead,{children:(0,x.jsxs)(d.Tr,{children:[(0,x.jsx)(d.Th,{children:`Username`}),(0,x.jsx)(d.Th,{children:`External id`}),(0,x.jsx)(d.Th,{children:`Email`}),(0,x.jsx)(d.Th,{children:`Phone`}),(0,x.jsx)(d.Th,{children:`Time zone`}),(0,x.jsx)(d.Th,{ta:`right`,children:`Deposits`}),(0,x.jsx)(d.Th,{children:`Since`})]})}),(0,x.jsx)(d.Tbody,{children:k.map(e=>(0,x.jsxs)(d.Tr,{"data-testid":`user-row`,children:[(0,x.jsx)(d.Td,{children:(0,x.jsx)(t,{component:m,to:`/users/${encodeURIComponent(e.id)}`,size:`sm`,children:e.username??e.externalId})}),(0,x.jsx)(d.Td,{children:e.externalId}),(0,x.jsx)(d.Td,{children:e.email??`—`}),(0,x.jsx)(d.Td,{children:e.phone??`—`}),(0,x.jsx)(d.Td,{children:e.timezone??`—`}),(0,x.jsxs)(d.Td,{ta:`right`,children:[e.financial.depositCount,` · `,r(e.financial.depositTotal,2)]}),(0,x.jsx)(d.Td,{children:n(e.createdAt)})]},e.id))})]}):null,E?(0,x.jsx)(_,{total:E.users.totalCount,pageInfo:E.users.pageInfo,cursors:w,onChange:T,label:`users`}):null]})}export{C as default};