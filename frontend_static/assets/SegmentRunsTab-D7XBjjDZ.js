import{K as e,W as t,f as n,i as r,n as i,o as a,r as o,t as s}from"./feedback-Bum3lcar.js";import{t as c}from"./Table-QEkk7Vlz.js";import{i as l,n as u}from"./format-B6DqAFml.js";import{t as d}from"./jsx-runtime-B5GVbOd8.js";var f=d(),p=r(`
  query SegmentRuns($id: ID!) {
    journey(id: $id) {
      id
      nextRunAt
      segmentRuns(first: 50) {
        scheduledFor
        startedAt
        finishedAt
        matched
        selected
        entered
        refused
        error
      }
    }
  }
`);function m({journeyId:r}){let[{data:d,fetching:m,error:h}]=n({query:p,variables:{id:r}});if(m&&!d)return(0,f.jsx)(o,{});let g=d?.journey?.segmentRuns??[];return(0,f.jsxs)(t,{gap:`xs`,children:[(0,f.jsx)(i,{message:a(h)}),(0,f.jsxs)(e,{size:`sm`,children:[`Next run: `,l(d?.journey?.nextRunAt)]}),g.length?(0,f.jsxs)(c,{striped:!0,children:[(0,f.jsx)(c.Thead,{children:(0,f.jsxs)(c.Tr,{children:[(0,f.jsx)(c.Th,{children:`Scheduled for`}),(0,f.jsx)(c.Th,{children:`Started`}),(0,f.jsx)(c.Th,{children:`Finished`}),(0,f.jsx)(c.Th,{ta:`right`,children:`Matched`}),(0,f.jsx)(c.Th,{ta:`right`,children:`Drawn`}),(0,f.jsx)(c.Th,{ta:`right`,children:`Entered`}),(0,f.jsx)(c.Th,{ta:`right`,children:`Refused`}),(0,f.jsx)(c.Th,{children:`Error`})]})}),(0,f.jsx)(c.Tbody,{children:g.map(e=>(0,f.jsxs)(c.Tr,{children:[(0,f.jsx)(c.Td,{children:l(e.scheduledFor)}),(0,f.jsx)(c.Td,{children:l(e.startedAt)}),(0,f.jsx)(c.Td,{children:l(e.finishedAt)}),(0,f.jsx)(c.Td,{ta:`right`,children:u(e.matched)}),(0,f.jsx)(c.Td,{ta:`right`,children:u(e.selected)}),(0,f.jsx)(c.Td,{ta:`right`,children:u(e.entered)}),(0,f.jsx)(c.Td,{ta:`right`,children:u(e.refused)}),(0,f.jsx)(c.Td,{children:e.error??`—`})]},e.scheduledFor))})]}):(0,f.jsx)(s,{children:`The segment has not run yet.`})]})}export{m as default};