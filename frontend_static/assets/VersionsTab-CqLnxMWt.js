const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/JourneyGraph-CQG2Pb1d.js","assets/rolldown-runtime-QQ38H6s1.js","assets/preload-helper-CHNGSWiG.js","assets/with-selector-6usEY13x.js","assets/definition-DmgXP3xy.js","assets/JourneyGraph-DrepRAnx.css"])))=>i.map(i=>d[i]);
import{r as e}from"./rolldown-runtime-QQ38H6s1.js";import{C as t,T as n,a as r,l as i,n as a,o,r as s,x as c}from"./app-k7HIwDFa.js";import{t as l}from"./Code-Wp5zhhcu.js";import{t as u}from"./Grid-9eSw-Anj.js";import{t as d}from"./Table-DR4KEKBu.js";import{D as f,T as p,t as m}from"./preload-helper-CHNGSWiG.js";import{i as h}from"./format-BZ9-UPcI.js";var g=e(f(),1),_=p(),v=(0,g.lazy)(()=>m(()=>import(`./JourneyGraph-CQG2Pb1d.js`).then(e=>({default:e.JourneyGraph})),__vite__mapDeps([0,1,2,3,4,5]))),y=r(`
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
`);function b({journeyId:e}){let[{data:r,fetching:f,error:p}]=i({query:y,variables:{id:e}}),[m,b]=(0,g.useState)(null);if(f&&!r)return(0,_.jsx)(s,{});let x=[...r?.journey?.versions??[]].sort((e,t)=>t.version-e.version),S=x.find(e=>e.version===(m??r?.journey?.version))??x[0];return(0,_.jsxs)(c,{gap:`xs`,children:[(0,_.jsx)(a,{message:o(p)}),(0,_.jsxs)(u,{children:[(0,_.jsx)(u.Col,{span:{base:12,md:4},children:(0,_.jsxs)(d,{striped:!0,highlightOnHover:!0,children:[(0,_.jsx)(d.Thead,{children:(0,_.jsxs)(d.Tr,{children:[(0,_.jsx)(d.Th,{children:`Version`}),(0,_.jsx)(d.Th,{children:`Published`}),(0,_.jsx)(d.Th,{children:`By`}),(0,_.jsx)(d.Th,{children:`View`})]})}),(0,_.jsx)(d.Tbody,{children:x.map(e=>(0,_.jsxs)(d.Tr,{bg:e.version===S?.version?`indigo.0`:void 0,children:[(0,_.jsx)(d.Td,{children:e.version}),(0,_.jsx)(d.Td,{children:e.publishedAt?h(e.publishedAt):`draft`}),(0,_.jsx)(d.Td,{children:e.publishedBy??`—`}),(0,_.jsx)(d.Td,{children:(0,_.jsx)(t,{variant:`subtle`,onClick:()=>b(e.version),"aria-label":`View version ${e.version}`,children:`View`})})]},e.version))})]})}),(0,_.jsx)(u.Col,{span:{base:12,md:8},children:S?(0,_.jsxs)(c,{gap:`xs`,children:[(0,_.jsxs)(n,{size:`sm`,fw:600,children:[`Version `,S.version]}),(0,_.jsx)(g.Suspense,{fallback:(0,_.jsx)(s,{label:`Loading the graph`}),children:(0,_.jsx)(v,{definition:S.definition,height:420})}),(0,_.jsx)(n,{size:`sm`,fw:600,children:`Its document`}),(0,_.jsx)(l,{block:!0,tabIndex:0,"aria-label":`Document of version ${S.version}`,style:{maxHeight:260,overflow:`auto`},children:JSON.stringify(S.definition,null,2)})]}):null})]})]})}export{b as default};