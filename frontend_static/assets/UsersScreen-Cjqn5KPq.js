import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{a as t,i as n,n as r}from"./format-BZ9-UPcI.js";import{a as i,b as a,d as o,l as s,n as c,o as l,r as u,t as d,v as f,x as p,y as m}from"./app-k7HIwDFa.js";import{t as h}from"./Table-DR4KEKBu.js";import{n as g,t as _}from"./Pager-oHYTNnKN.js";import{D as v,T as y}from"./preload-helper-CHNGSWiG.js";var b=e(v(),1),x=y(),S=i(`
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
`);function C(){let[e,i]=f(),[v,y]=(0,b.useState)(e.get(`search`)??``),[C]=g(v,300),[w,T]=(0,b.useState)([null]),[{data:E,fetching:D,error:O}]=s({query:S,variables:{search:C||null,after:w[w.length-1]}}),k=E?.users.edges.map(e=>e.node)??[];return(0,x.jsxs)(p,{gap:`sm`,children:[(0,x.jsx)(m,{order:2,size:`h3`,children:`Users`}),(0,x.jsx)(a,{label:`Find a user by username, external id, email or phone`,value:v,onChange:e=>{let t=e.currentTarget.value;y(t),T([null]),i(t?{search:t}:{},{replace:!0})},w:360}),(0,x.jsx)(c,{message:l(O)}),D&&!E?(0,x.jsx)(u,{}):null,E&&!k.length?(0,x.jsx)(d,{children:`No user matches.`}):null,k.length?(0,x.jsxs)(h,{striped:!0,highlightOnHover:!0,children:[(0,x.jsx)(h.Thead,{children:(0,x.jsxs)(h.Tr,{children:[(0,x.jsx)(h.Th,{children:`Username`}),(0,x.jsx)(h.Th,{children:`External id`}),(0,x.jsx)(h.Th,{children:`Email`}),(0,x.jsx)(h.Th,{children:`Phone`}),(0,x.jsx)(h.Th,{children:`Time zone`}),(0,x.jsx)(h.Th,{ta:`right`,children:`Deposits`}),(0,x.jsx)(h.Th,{children:`Since`})]})}),(0,x.jsx)(h.Tbody,{children:k.map(e=>(0,x.jsxs)(h.Tr,{"data-testid":`user-row`,children:[(0,x.jsx)(h.Td,{children:(0,x.jsx)(t,{component:o,to:`/users/${encodeURIComponent(e.id)}`,size:`sm`,children:e.username??e.externalId})}),(0,x.jsx)(h.Td,{children:e.externalId}),(0,x.jsx)(h.Td,{children:e.email??`—`}),(0,x.jsx)(h.Td,{children:e.phone??`—`}),(0,x.jsx)(h.Td,{children:e.timezone??`—`}),(0,x.jsxs)(h.Td,{ta:`right`,children:[e.financial.depositCount,` · `,r(e.financial.depositTotal,2)]}),(0,x.jsx)(h.Td,{children:n(e.createdAt)})]},e.id))})]}):null,E?(0,x.jsx)(_,{total:E.users.totalCount,pageInfo:E.users.pageInfo,cursors:w,onChange:T,label:`users`}):null]})}export{C as default};