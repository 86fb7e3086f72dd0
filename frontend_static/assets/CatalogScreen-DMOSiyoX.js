import{r as e}from"./rolldown-runtime-XKyaHtl9.js";import{K as t,W as n,d as r,f as i,i as a,n as o,o as s,r as c,t as l,u}from"./feedback-Bum3lcar.js";import{c as d,d as f,f as p,g as m,m as h,n as g,p as _,r as v,t as y,u as b}from"./app-DqfJQ3Wj.js";import{t as x}from"./Button-Tltf2vvg.js";import{t as S}from"./Modal-DuxPGo_Y.js";import{t as C}from"./NumberInput-CpJPqYCy.js";import{t as w}from"./Table-QEkk7Vlz.js";import{n as T,t as E}from"./jsx-runtime-B5GVbOd8.js";import{a as D,i as O,n as k}from"./format-B6DqAFml.js";import{a as A}from"./definition-uzMhrECE.js";import{i as j,t as ee}from"./TagsInput-CTkrrxaq.js";import{t as M}from"./ActionIcon-DumLPXyQ.js";import{t as N}from"./SegmentedControl-BJtgW2ON.js";import{t as te}from"./periods-DoggbC1t.js";import{t as P}from"./Select-DqzlK-qD.js";import{t as F}from"./CommunicationLog-Cz7Nl_s7.js";var I=e(T(),1),L=E();function R({label:e,value:t,onChange:n,description:r,minRows:i=3}){return(0,L.jsx)(j,{label:e,description:r,value:t,onChange:e=>n(e.currentTarget.value),autosize:!0,minRows:i,styles:{input:{fontFamily:`monospace`}}})}function z(e,t){try{return{value:JSON.parse(t)}}catch(t){return{error:`${e} is not valid JSON: ${t.message}`}}}function B(e){let t=e??{},n=t.measure?.startsWith(`sum:`)?`sum of ${t.measure.slice(4)} over`:`number of`,r=t.where?` where ${A(t.where)}`:``;return`${n} “${t.event??`?`}” events${r} reaches ${t.target??`?`}`}function V(e){let t=e??{};return[t.points?`${t.points} points`:null,t.bonusTemplate?`bonus “${t.bonusTemplate}”`:null].filter(Boolean).join(` and `)||`nothing`}var H=a(`
  query BonusTemplates {
    bonusTemplates {
      id
      name
      kind
      amount
      currency
    }
  }
`),U=a(`
  mutation CreateBonusTemplate($input: BonusTemplateInput!) {
    createBonusTemplate(input: $input) {
      bonusTemplate {
        id
      }
      errors {
        code
        message
      }
    }
  }
`),W=a(`
  query Badges {
    badges {
      id
      name
      description
      rule
    }
  }
`),G=a(`
  mutation CreateBadge($input: BadgeInput!) {
    createBadge(input: $input) {
      badge {
        id
      }
      errors {
        code
        message
      }
    }
  }
`),K=a(`
  query Missions {
    missions {
      id
      name
      description
      goal
      reward
      startsAt
      endsAt
    }
  }
`),q=a(`
  mutation CreateMission($input: MissionInput!) {
    createMission(input: $input) {
      mission {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);function J({label:e,children:t,onSubmit:r,busy:i}){let{canEdit:a}=y(),[s,c]=(0,I.useState)(!1),[l,u]=(0,I.useState)(null);if(!a)return null;async function d(e){e.preventDefault();let t=await r();if(t)return u(t);c(!1)}return(0,L.jsxs)(L.Fragment,{children:[(0,L.jsx)(x,{onClick:()=>{u(null),c(!0)},children:e}),(0,L.jsx)(S,{opened:s,onClose:()=>c(!1),title:e,size:`lg`,children:(0,L.jsx)(`form`,{onSubmit:d,children:(0,L.jsxs)(n,{gap:`xs`,children:[t,(0,L.jsx)(o,{message:l}),(0,L.jsxs)(h,{justify:`flex-end`,children:[(0,L.jsx)(x,{variant:`default`,onClick:()=>c(!1),children:`Cancel`}),(0,L.jsx)(x,{type:`submit`,loading:i,children:`Save`})]})]})})})]})}function Y(){let[{data:e,fetching:t,error:a}]=i({query:H}),[u,d]=r(U),[p,m]=(0,I.useState)({name:``,kind:`FREE_SPINS`,amount:10,currency:``}),g=e?.bonusTemplates??[];async function _(){let e=await d({input:{name:p.name,kind:p.kind,amount:Number(p.amount),currency:p.currency||null}},{additionalTypenames:[`BonusTemplate`]});return s(e.error,e.data?.createBonusTemplate.errors)}return(0,L.jsxs)(n,{gap:`xs`,children:[(0,L.jsx)(h,{justify:`flex-end`,children:(0,L.jsxs)(J,{label:`New bonus template`,onSubmit:_,busy:u.fetching,children:[(0,L.jsx)(f,{label:`Name`,value:p.name,onChange:e=>m({...p,name:e.currentTarget.value}),required:!0}),(0,L.jsx)(f,{label:`Kind`,description:`Passed to the wallet as it is: FREE_SPINS, CASH, FREE_BET, POINTS_MULTIPLIER…`,value:p.kind,onChange:e=>m({...p,kind:e.currentTarget.value}),required:!0}),(0,L.jsx)(C,{label:`Amount`,value:p.amount,onChange:e=>m({...p,amount:e}),required:!0}),(0,L.jsx)(f,{label:`Currency`,value:p.currency,onChange:e=>m({...p,currency:e.currentTarget.value})})]})}),(0,L.jsx)(o,{message:s(a)}),t&&!e?(0,L.jsx)(c,{}):null,e&&!g.length?(0,L.jsx)(l,{children:`No bonus template yet.`}):null,g.length?(0,L.jsxs)(w,{striped:!0,children:[(0,L.jsx)(w.Thead,{children:(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Th,{children:`Name`}),(0,L.jsx)(w.Th,{children:`Kind`}),(0,L.jsx)(w.Th,{ta:`right`,children:`Amount`}),(0,L.jsx)(w.Th,{children:`Currency`})]})}),(0,L.jsx)(w.Tbody,{children:g.map(e=>(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Td,{children:e.name}),(0,L.jsx)(w.Td,{children:e.kind}),(0,L.jsx)(w.Td,{ta:`right`,children:k(e.amount,2)}),(0,L.jsx)(w.Td,{children:e.currency??`—`})]},e.id))})]}):null]})}function X(){let[{data:e,fetching:t,error:a}]=i({query:W}),[u,d]=r(G),[p,m]=(0,I.useState)({name:``,description:``,rule:`{"field": "user.financial.depositCount", "op": "gte", "value": 5}`}),g=e?.badges??[];async function _(){let e=z(`The rule`,p.rule);if(e.error)return e.error;let t=await d({input:{name:p.name,description:p.description||null,rule:e.value}},{additionalTypenames:[`Badge`]});return s(t.error,t.data?.createBadge.errors)}return(0,L.jsxs)(n,{gap:`xs`,children:[(0,L.jsx)(h,{justify:`flex-end`,children:(0,L.jsxs)(J,{label:`New badge`,onSubmit:_,busy:u.fetching,children:[(0,L.jsx)(f,{label:`Name`,value:p.name,onChange:e=>m({...p,name:e.currentTarget.value}),required:!0}),(0,L.jsx)(f,{label:`Description`,value:p.description,onChange:e=>m({...p,description:e.currentTarget.value})}),(0,L.jsx)(R,{label:`Rule`,description:`A predicate over the user, in the journeys' where language.`,value:p.rule,onChange:e=>m({...p,rule:e})})]})}),(0,L.jsx)(o,{message:s(a)}),t&&!e?(0,L.jsx)(c,{}):null,e&&!g.length?(0,L.jsx)(l,{children:`No badge yet.`}):null,g.length?(0,L.jsxs)(w,{striped:!0,children:[(0,L.jsx)(w.Thead,{children:(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Th,{children:`Name`}),(0,L.jsx)(w.Th,{children:`Description`}),(0,L.jsx)(w.Th,{children:`Rule`})]})}),(0,L.jsx)(w.Tbody,{children:g.map(e=>(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Td,{children:e.name}),(0,L.jsx)(w.Td,{children:e.description??`—`}),(0,L.jsx)(w.Td,{title:JSON.stringify(e.rule),children:A(e.rule)})]},e.id))})]}):null]})}function Z(){let[{data:e,fetching:a,error:u}]=i({query:K}),[d,p]=r(q),[m,g]=(0,I.useState)({name:``,description:``,goal:`{"event": "bet", "measure": "count", "target": 10}`,reward:`{"points": 100}`,startsAt:``,endsAt:``}),_=e?.missions??[];async function v(){let e=z(`The goal`,m.goal);if(e.error)return e.error;let t=z(`The reward`,m.reward);if(t.error)return t.error;let n=await p({input:{name:m.name,description:m.description||null,goal:e.value,reward:t.value,startsAt:m.startsAt||null,endsAt:m.endsAt||null}},{additionalTypenames:[`Mission`]});return s(n.error,n.data?.createMission.errors)}return(0,L.jsxs)(n,{gap:`xs`,children:[(0,L.jsx)(h,{justify:`flex-end`,children:(0,L.jsxs)(J,{label:`New mission`,onSubmit:v,busy:d.fetching,children:[(0,L.jsx)(f,{label:`Name`,value:m.name,onChange:e=>g({...m,name:e.currentTarget.value}),required:!0}),(0,L.jsx)(f,{label:`Description`,value:m.description,onChange:e=>g({...m,description:e.currentTarget.value})}),(0,L.jsx)(R,{label:`Goal`,description:`{event, where, measure: 'count' or 'sum:<property>', target}`,value:m.goal,onChange:e=>g({...m,goal:e})}),(0,L.jsx)(R,{label:`Reward`,description:`{points} and/or {bonusTemplate}`,value:m.reward,onChange:e=>g({...m,reward:e}),minRows:1}),(0,L.jsxs)(h,{grow:!0,children:[(0,L.jsx)(f,{label:`Starts at (UTC, ISO 8601)`,placeholder:`2026-12-01T00:00:00Z`,value:m.startsAt,onChange:e=>g({...m,startsAt:e.currentTarget.value})}),(0,L.jsx)(f,{label:`Ends at (UTC, ISO 8601)`,placeholder:`2026-12-31T23:59:59Z`,value:m.endsAt,onChange:e=>g({...m,endsAt:e.currentTarget.value})})]})]})}),(0,L.jsx)(o,{message:s(u)}),a&&!e?(0,L.jsx)(c,{}):null,e&&!_.length?(0,L.jsx)(l,{children:`No mission yet.`}):null,_.length?(0,L.jsxs)(w,{striped:!0,children:[(0,L.jsx)(w.Thead,{children:(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Th,{children:`Name`}),(0,L.jsx)(w.Th,{children:`Goal`}),(0,L.jsx)(w.Th,{children:`Reward`}),(0,L.jsx)(w.Th,{children:`Runs`})]})}),(0,L.jsx)(w.Tbody,{children:_.map(e=>(0,L.jsxs)(w.Tr,{children:[(0,L.jsxs)(w.Td,{miw:180,children:[e.name,e.description?(0,L.jsx)(t,{size:`xs`,children:e.description}):null]}),(0,L.jsx)(w.Td,{title:JSON.stringify(e.goal),children:B(e.goal)}),(0,L.jsx)(w.Td,{title:JSON.stringify(e.reward),children:V(e.reward)}),(0,L.jsxs)(w.Td,{miw:140,children:[(0,L.jsxs)(t,{size:`xs`,children:[`from `,O(e.startsAt)]}),(0,L.jsxs)(t,{size:`xs`,children:[`to `,O(e.endsAt)]})]})]},e.id))})]}):null]})}var ne=a(`
  query Levels {
    levels {
      name
      threshold
    }
  }
`),re=a(`
  mutation SetLevels($levels: [LevelInput!]!) {
    setLevels(levels: $levels) {
      levels {
        name
        threshold
      }
      errors {
        code
        message
      }
    }
  }
`),ie=a(`
  query Leaderboard($period: Period) {
    leaderboard(period: $period, first: 50) {
      rank
      points
      user {
        id
        externalId
        username
      }
    }
  }
`);function ae(){let{isAdmin:e}=y(),[{data:a,fetching:u,error:d}]=i({query:ne}),[p,m]=(0,I.useState)([]),[g,_]=(0,I.useState)(null),[v,b]=(0,I.useState)(!1),[S,T]=r(re);(0,I.useEffect)(()=>m(a?.levels.map(e=>({...e}))??[]),[a]);let E=(e,t)=>{b(!1),m(n=>n.map((n,r)=>r===e?{...n,...t}:n))};async function D(e){e.preventDefault(),_(null);let t=p.map(e=>({name:e.name,threshold:Number(e.threshold)})),n=await T({levels:t},{additionalTypenames:[`Level`]}),r=s(n.error,n.data?.setLevels.errors);if(r)return _(r);b(!0)}return u&&!a?(0,L.jsx)(c,{}):e?(0,L.jsx)(`form`,{onSubmit:D,children:(0,L.jsxs)(n,{gap:`xs`,maw:520,children:[(0,L.jsx)(o,{message:s(d)}),p.map((e,t)=>(0,L.jsxs)(h,{align:`flex-end`,gap:`xs`,children:[(0,L.jsx)(f,{label:`Level ${t+1} name`,value:e.name,onChange:e=>E(t,{name:e.currentTarget.value}),required:!0}),(0,L.jsx)(C,{label:`From points`,value:e.threshold,onChange:e=>E(t,{threshold:e}),min:0,required:!0}),(0,L.jsx)(M,{variant:`subtle`,color:`red`,size:`lg`,onClick:()=>m(e=>e.filter((e,n)=>n!==t)),"aria-label":`Remove level ${e.name||t+1}`,children:`×`})]},t)),(0,L.jsxs)(h,{children:[(0,L.jsx)(x,{variant:`default`,onClick:()=>m(e=>[...e,{name:``,threshold:``}]),children:`Add a level`}),(0,L.jsx)(x,{type:`submit`,loading:S.fetching,children:`Save the levels`}),v?(0,L.jsx)(t,{size:`sm`,role:`status`,children:`Saved.`}):null]}),(0,L.jsx)(o,{message:g})]})}):(0,L.jsxs)(n,{gap:`xs`,children:[(0,L.jsx)(o,{message:s(d)}),p.length?(0,L.jsxs)(w,{striped:!0,maw:420,children:[(0,L.jsx)(w.Thead,{children:(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Th,{children:`Level`}),(0,L.jsx)(w.Th,{ta:`right`,children:`From points`})]})}),(0,L.jsx)(w.Tbody,{children:p.map(e=>(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Td,{children:e.name}),(0,L.jsx)(w.Td,{ta:`right`,children:k(Number(e.threshold))})]},e.name))})]}):(0,L.jsx)(l,{children:`No level yet.`})]})}function oe(){let[e,r]=(0,I.useState)(`ALL`),[{data:a,fetching:u,error:d}]=i({query:ie,variables:{period:e===`ALL`?null:e}}),f=a?.leaderboard??[];return(0,L.jsxs)(n,{gap:`xs`,children:[(0,L.jsxs)(n,{gap:2,children:[(0,L.jsx)(t,{size:`xs`,fw:500,id:`leaderboard-period`,children:`Points earned in`}),(0,L.jsx)(N,{"aria-labelledby":`leaderboard-period`,value:e,onChange:r,data:[{value:`ALL`,label:`All time`},...te],w:`fit-content`})]}),(0,L.jsx)(o,{message:s(d)}),u&&!a?(0,L.jsx)(c,{}):null,a&&!f.length?(0,L.jsx)(l,{children:`Nobody has points in this period.`}):null,f.length?(0,L.jsxs)(w,{striped:!0,maw:560,children:[(0,L.jsx)(w.Thead,{children:(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Th,{children:`Rank`}),(0,L.jsx)(w.Th,{children:`User`}),(0,L.jsx)(w.Th,{ta:`right`,children:`Points`})]})}),(0,L.jsx)(w.Tbody,{children:f.map(e=>(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Td,{children:e.rank}),(0,L.jsx)(w.Td,{children:(0,L.jsx)(D,{component:g,to:`/users/${encodeURIComponent(e.user.id)}`,size:`sm`,children:e.user.username??e.user.externalId})}),(0,L.jsx)(w.Td,{ta:`right`,children:k(e.points)})]},e.user.id))})]}):null]})}var se=a(`
  query Operators {
    operators {
      id
      username
      role
      accessGroups
    }
  }
`),ce=a(`
  mutation CreateOperator($input: OperatorInput!) {
    createOperator(input: $input) {
      operator {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);function le(){let[{data:e,fetching:t,error:a}]=i({query:se}),[l,u]=(0,I.useState)(!1),[d,m]=(0,I.useState)({username:``,password:``,role:`ANALYST`,accessGroups:[]}),[g,v]=(0,I.useState)(null),[y,b]=r(ce);async function C(e){e.preventDefault();let t=await b({input:d},{additionalTypenames:[`Operator`]}),n=s(t.error,t.data?.createOperator.errors);if(n)return v(n);u(!1),m({username:``,password:``,role:`ANALYST`,accessGroups:[]})}return(0,L.jsxs)(n,{gap:`xs`,children:[(0,L.jsx)(h,{justify:`flex-end`,children:(0,L.jsx)(x,{onClick:()=>{v(null),u(!0)},children:`New operator`})}),(0,L.jsx)(o,{message:s(a)}),t&&!e?(0,L.jsx)(c,{}):null,(0,L.jsxs)(w,{striped:!0,maw:720,children:[(0,L.jsx)(w.Thead,{children:(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Th,{children:`Username`}),(0,L.jsx)(w.Th,{children:`Role`}),(0,L.jsx)(w.Th,{children:`Access groups`})]})}),(0,L.jsx)(w.Tbody,{children:(e?.operators??[]).map(e=>(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Td,{children:e.username}),(0,L.jsx)(w.Td,{children:e.role}),(0,L.jsx)(w.Td,{children:(0,L.jsx)(h,{gap:4,children:e.accessGroups.length?e.accessGroups.map(e=>(0,L.jsx)(_,{variant:`outline`,color:`gray`,styles:{label:{color:`var(--mantine-color-dark-6)`}},children:e},e)):`all journeys without groups`})})]},e.id))})]}),(0,L.jsx)(S,{opened:l,onClose:()=>u(!1),title:`New operator`,children:(0,L.jsx)(`form`,{onSubmit:C,children:(0,L.jsxs)(n,{gap:`xs`,children:[(0,L.jsx)(f,{label:`Username`,value:d.username,onChange:e=>m({...d,username:e.currentTarget.value}),required:!0}),(0,L.jsx)(p,{label:`Password`,value:d.password,onChange:e=>m({...d,password:e.currentTarget.value}),autoComplete:`new-password`,required:!0}),(0,L.jsx)(P,{label:`Role`,data:[`ADMIN`,`MANAGER`,`ANALYST`],value:d.role,onChange:e=>e&&m({...d,role:e}),allowDeselect:!1,comboboxProps:{withinPortal:!1}}),(0,L.jsx)(ee,{label:`Access groups`,description:`Press Enter after each group.`,value:d.accessGroups,onChange:e=>m({...d,accessGroups:e})}),(0,L.jsx)(o,{message:g}),(0,L.jsxs)(h,{justify:`flex-end`,children:[(0,L.jsx)(x,{variant:`default`,onClick:()=>u(!1),children:`Cancel`}),(0,L.jsx)(x,{type:`submit`,loading:y.fetching,children:`Create`})]})]})})})]})}var Q=a(`
  query PreviewResource($input: ResourceInput!, $externalId: String!) {
    previewResource(input: $input, externalId: $externalId) {
      subject
      body
      error
    }
  }
`);function $({channel:e,subject:r,body:i}){let a=u(),[c,l]=(0,I.useState)(``),[d,p]=(0,I.useState)(null),[g,_]=(0,I.useState)(null),[v,y]=(0,I.useState)(!1);async function b(){y(!0),_(null),p(null);let t={name:`preview`,channel:e,subject:r||null,body:i},n=await a.query(Q,{input:t,externalId:c},{requestPolicy:`network-only`}).toPromise();y(!1);let o=n.data?.previewResource,l=s(n.error)??o?.error??null;if(l)return _(l);p(o??null)}return(0,L.jsxs)(n,{gap:6,children:[(0,L.jsxs)(h,{align:`flex-end`,gap:`xs`,children:[(0,L.jsx)(f,{label:`Preview for the user with external id`,value:c,onChange:e=>l(e.currentTarget.value),w:260}),(0,L.jsx)(x,{variant:`default`,onClick:b,loading:v,disabled:!c.trim()||!i.trim(),children:`Preview`})]}),(0,L.jsx)(o,{message:g}),d?(0,L.jsxs)(m,{withBorder:!0,p:`xs`,"data-testid":`resource-preview`,children:[d.subject?(0,L.jsx)(t,{size:`sm`,fw:600,children:d.subject}):null,(0,L.jsx)(t,{size:`sm`,style:{whiteSpace:`pre-wrap`},children:d.body})]}):null]})}var ue=a(`
  query Resources($channel: Channel) {
    resources(channel: $channel) {
      id
      name
      channel
      subject
      body
      createdAt
    }
  }
`),de=a(`
  mutation CreateResource($input: ResourceInput!) {
    createResource(input: $input) {
      resource {
        id
      }
      errors {
        code
        message
        field
      }
    }
  }
`),fe=a(`
  mutation UpdateResource($id: ID!, $input: ResourceInput!) {
    updateResource(id: $id, input: $input) {
      resource {
        id
        name
        channel
        subject
        body
      }
      errors {
        code
        message
        field
      }
    }
  }
`);function pe(){let{canEdit:e}=y(),[r,a]=(0,I.useState)(null),[{data:u,fetching:d,error:f}]=i({query:ue,variables:{channel:r||null}}),[p,m]=(0,I.useState)(null),[g,_]=(0,I.useState)(null),v=e=>m(e?{id:e.id,name:e.name,channel:e.channel,subject:e.subject??``,body:e.body}:{name:``,channel:`EMAIL`,subject:``,body:``}),b=u?.resources??[];return(0,L.jsxs)(n,{gap:`xs`,children:[(0,L.jsxs)(h,{justify:`space-between`,align:`flex-end`,children:[(0,L.jsx)(P,{label:`Channel`,placeholder:`Any channel`,data:F,value:r,onChange:a,clearable:!0,w:160}),e?(0,L.jsx)(x,{onClick:()=>v(),children:`New resource`}):null]}),(0,L.jsx)(o,{message:s(f)}),d&&!u?(0,L.jsx)(c,{}):null,u&&!b.length?(0,L.jsx)(l,{children:`No resource yet.`}):null,b.length?(0,L.jsxs)(w,{striped:!0,highlightOnHover:!0,children:[(0,L.jsx)(w.Thead,{children:(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Th,{children:`Name`}),(0,L.jsx)(w.Th,{children:`Channel`}),(0,L.jsx)(w.Th,{children:`Subject or title`}),(0,L.jsx)(w.Th,{children:`Text`}),(0,L.jsx)(w.Th,{children:`Created`}),(0,L.jsx)(w.Th,{children:`Actions`})]})}),(0,L.jsx)(w.Tbody,{children:b.map(n=>(0,L.jsxs)(w.Tr,{children:[(0,L.jsx)(w.Td,{children:n.name}),(0,L.jsx)(w.Td,{children:n.channel}),(0,L.jsx)(w.Td,{children:n.subject??`—`}),(0,L.jsx)(w.Td,{maw:380,children:(0,L.jsx)(t,{size:`sm`,lineClamp:2,children:n.body})}),(0,L.jsx)(w.Td,{children:O(n.createdAt)}),(0,L.jsx)(w.Td,{children:(0,L.jsxs)(h,{gap:4,wrap:`nowrap`,children:[(0,L.jsx)(x,{variant:`subtle`,onClick:()=>_(n),"aria-label":`Preview ${n.name} for a user`,children:`Preview`}),e?(0,L.jsx)(x,{variant:`default`,onClick:()=>v(n),"aria-label":`Edit ${n.name}`,children:`Edit`}):null]})})]},n.id))})]}):null,p?(0,L.jsx)(me,{draft:p,onClose:()=>m(null)}):null,(0,L.jsx)(S,{opened:!!g,onClose:()=>_(null),title:`Preview of ${g?.name??``}`,size:`lg`,children:g?(0,L.jsx)($,{channel:g.channel,subject:g.subject??``,body:g.body}):null})]})}function me({draft:e,onClose:t}){let[i,a]=(0,I.useState)(e),[c,l]=(0,I.useState)(null),[u,d]=r(de),[p,m]=r(fe),g=e=>a(t=>({...t,...e})),_=i.channel===`EMAIL`||i.channel===`POPUP`||i.channel===`PUSH`;async function v(e){e.preventDefault();let n={name:i.name,channel:i.channel,subject:_&&i.subject||null,body:i.body},r={additionalTypenames:[`Resource`]},a=i.id?await m({id:i.id,input:n},r):await d({input:n},r),o=a.data&&(`updateResource`in a.data?a.data.updateResource:a.data.createResource),c=s(a.error,o?.errors);if(c)return l(c);t()}return(0,L.jsx)(S,{opened:!0,onClose:t,title:i.id?`Edit ${e.name}`:`New resource`,size:`lg`,children:(0,L.jsx)(`form`,{onSubmit:v,children:(0,L.jsxs)(n,{gap:`xs`,children:[(0,L.jsx)(f,{label:`Name`,value:i.name,onChange:e=>g({name:e.currentTarget.value}),required:!0}),(0,L.jsx)(P,{label:`Channel`,data:F,value:i.channel,onChange:e=>e&&g({channel:e}),allowDeselect:!1,comboboxProps:{withinPortal:!1}}),_?(0,L.jsx)(f,{label:i.channel===`EMAIL`?`Subject`:`Title`,value:i.subject,onChange:e=>g({subject:e.currentTarget.value})}):null,(0,L.jsx)(j,{label:`Text`,description:`{{ user.username }}, {{ user.attributes.x }} and {{ event.properties.x }} are filled in for each user.`,value:i.body,onChange:e=>g({body:e.currentTarget.value}),autosize:!0,minRows:5,required:!0}),(0,L.jsx)($,{channel:i.channel,subject:_?i.subject:``,body:i.body}),(0,L.jsx)(o,{message:c}),(0,L.jsxs)(h,{justify:`flex-end`,children:[(0,L.jsx)(x,{variant:`default`,onClick:t,children:`Cancel`}),(0,L.jsx)(x,{type:`submit`,loading:u.fetching||p.fetching,children:`Save`})]})]})})})}var he={resources:[`Resources`,pe],"bonus-templates":[`Bonus templates`,Y],badges:[`Badges`,X],missions:[`Missions`,Z],levels:[`Levels`,ae],leaderboard:[`Leaderboard`,oe],operators:[`Operators`,le]};function ge(){let{section:e=`resources`}=d(),{isAdmin:t}=y(),r=he[e];if(!r||e===`operators`&&!t)return(0,L.jsx)(v,{to:`/catalog/resources`,replace:!0});let[i,a]=r;return(0,L.jsxs)(n,{gap:`sm`,children:[(0,L.jsx)(b,{order:2,size:`h3`,children:i}),(0,L.jsx)(a,{})]})}export{ge as default};