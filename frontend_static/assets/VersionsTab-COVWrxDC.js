const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/JourneyGraph-Bh0GTuEZ.js","assets/rolldown-runtime-QQ38H6s1.js","assets/preload-helper-CXhCD7sQ.js","assets/with-selector-CKl8AhDy.js","assets/definition-DmgXP3xy.js","assets/JourneyGraph-DrepRAnx.css"])))=>i.map(i=>d[i]);
import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{I as t,S as n,a as r,b as i,c as a,n as o,o as s,r as c,w as l}from"./app-CYZQ1T-1.js";import{t as u}from"./Code-DA9MMirW.js";import{t as d}from"./Grid-CcAzSdVs.js";import{t as f}from"./Table-CSSGDqsH.js";import{C as p,T as m,t as h}from"./preload-helper-CXhCD7sQ.js";import{i as g}from"./format-Dp_0ll0G.js";var _=e(m(),1),v=p(),y=(0,_.lazy)(()=>h(()=>import(`./JourneyGraph-Bh0GTuEZ.js`).then(e=>({default:e.JourneyGraph})),__vite__mapDeps([0,1,2,3,4,5]))),b=r(`
  query JourneyVersions($id: ID!) {
    journey(id: $id) {
      id
      version
      versions {
        version
        definition
        publishedAt
        publishedBy
      }
    }
  }
`);function x({journeyId:e}){let[{data:r,fetching:p,error:m}]=a({query:b,variables:{id:e}}),[h,x]=(0,_.useState)(null);if(p&&!r)return(0,v.jsx)(c,{});let S=[...r?.journey?.versions??[]].sort((e,t)=>t.version-e.version),C=S.find(e=>e.version===(h??r?.journey?.version))??S[0];return(0,v.jsxs)(i,{gap:`xs`,children:[(0,v.jsx)(o,{message:s(m)}),(0,v.jsxs)(d,{children:[(0,v.jsx)(d.Col,{span:{base:12,md:4},children:(0,v.jsxs)(f,{striped:!0,highlightOnHover:!0,children:[(0,v.jsx)(f.Thead,{children:(0,v.jsxs)(f.Tr,{children:[(0,v.jsx)(f.Th,{children:`Version`}),(0,v.jsx)(f.Th,{children:`Published`}),(0,v.jsx)(f.Th,{children:`By`}),(0,v.jsx)(f.Th,{children:`View`})]})}),(0,v.jsx)(f.Tbody,{children:S.map(e=>(0,v.jsxs)(f.Tr,{bg:e.version===C?.version?`indigo.0`:void 0,children:[(0,v.jsx)(f.Td,{children:e.version}),(0,v.jsx)(f.Td,{children:e.publishedAt?g(e.publishedAt):`draft`}),(0,v.jsx)(f.Td,{children:e.publishedBy??`—`}),(0,v.jsx)(f.Td,{children:(0,v.jsx)(n,{variant:`subtle`,onClick:()=>x(e.version),"aria-label":`View version ${e.version}`,children:`View`})})]},e.version))})]})}),(0,v.jsx)(d.Col,{span:{base:12,md:8},children:C?(0,v.jsxs)(i,{gap:`xs`,children:[(0,v.jsxs)(l,{size:`sm`,fw:600,children:[`Version `,C.version]}),(0,v.jsx)(_.Suspense,{fallback:(0,v.jsx)(c,{label:`Loading the graph`}),children:(0,v.jsx)(y,{definition:C.definition,height:420})}),(0,v.jsx)(l,{size:`sm`,fw:600,children:`Its document`}),(0,v.jsx)(t,{h:240,type:`auto`,children:(0,v.jsx)(u,{block:!0,children:JSON.stringify(C.definition,null,2)})})]}):null})]})]})}export{x as default};