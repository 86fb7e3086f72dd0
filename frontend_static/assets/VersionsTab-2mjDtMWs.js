const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/JourneyGraph-D3G5R1cc.js","assets/rolldown-runtime-XKyaHtl9.js","assets/jsx-runtime-B5GVbOd8.js","assets/with-selector-Gk50HNeW.js","assets/preload-helper-BQY_yZE2.js","assets/definition-uzMhrECE.js","assets/JourneyGraph-DrepRAnx.css"])))=>i.map(i=>d[i]);
import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{t}from"./Button-Tltf2vvg.js";import{t as n}from"./Code-Bshu5CVk.js";import{t as r}from"./Grid-QKB7vMH1.js";import{K as i,W as a,f as o,i as s,n as c,o as l,r as u}from"./feedback-Bum3lcar.js";import{t as d}from"./Table-QEkk7Vlz.js";import{n as f,t as p}from"./jsx-runtime-B5GVbOd8.js";import{i as m}from"./format-B6DqAFml.js";import{t as h}from"./preload-helper-BQY_yZE2.js";var g=e(f(),1),_=p(),v=(0,g.lazy)(()=>h(()=>import(`./JourneyGraph-D3G5R1cc.js`).then(e=>e.t).then(e=>({default:e.JourneyGraph})),__vite__mapDeps([0,1,2,3,4,5,6]))),y=s(`
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
`);function b({journeyId:e}){let[{data:s,fetching:f,error:p}]=o({query:y,variables:{id:e}}),[h,b]=(0,g.useState)(null);if(f&&!s)return(0,_.jsx)(u,{});let x=[...s?.journey?.versions??[]].sort((e,t)=>t.version-e.version),S=x.find(e=>e.version===(h??s?.journey?.version))??x[0];return(0,_.jsxs)(a,{gap:`xs`,children:[(0,_.jsx)(c,{message:l(p)}),(0,_.jsxs)(r,{children:[(0,_.jsx)(r.Col,{span:{base:12,md:4},children:(0,_.jsxs)(d,{striped:!0,highlightOnHover:!0,children:[(0,_.jsx)(d.Thead,{children:(0,_.jsxs)(d.Tr,{children:[(0,_.jsx)(d.Th,{children:`Version`}),(0,_.jsx)(d.Th,{children:`Published`}),(0,_.jsx)(d.Th,{children:`By`}),(0,_.jsx)(d.Th,{children:`View`})]})}),(0,_.jsx)(d.Tbody,{children:x.map(e=>(0,_.jsxs)(d.Tr,{bg:e.version===S?.version?`indigo.0`:void 0,children:[(0,_.jsx)(d.Td,{children:e.version}),(0,_.jsx)(d.Td,{children:e.publishedAt?m(e.publishedAt):`draft`}),(0,_.jsx)(d.Td,{children:e.publishedBy??`—`}),(0,_.jsx)(d.Td,{children:(0,_.jsx)(t,{variant:`subtle`,onClick:()=>b(e.version),"aria-label":`View version ${e.version}`,children:`View`})})]},e.version))})]})}),(0,_.jsx)(r.Col,{span:{base:12,md:8},children:S?(0,_.jsxs)(a,{gap:`xs`,children:[(0,_.jsxs)(i,{size:`sm`,fw:600,children:[`Version `,S.version]}),(0,_.jsx)(g.Suspense,{fallback:(0,_.jsx)(u,{label:`Loading the graph`}),children:(0,_.jsx)(v,{definition:S.definition,height:420})}),(0,_.jsx)(i,{size:`sm`,fw:600,children:`Its document`}),(0,_.jsx)(n,{block:!0,tabIndex:0,"aria-label":`Document of version ${S.version}`,style:{maxHeight:260,overflow:`auto`},children:JSON.stringify(S.definition,null,2)})]}):null})]})]})}export{b as default};