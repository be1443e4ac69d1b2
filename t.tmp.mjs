import * as echarts from 'echarts';
const c = echarts.init(null, null, {renderer:'svg', ssr:true, width:400, height:300});
c.setOption({animation:false, textStyle:{fontFamily:"'Source Sans 3', 'Noto Sans SC', sans-serif"}, grid:{}, xAxis:{type:'value'}, yAxis:{type:'category', data:['中国','美国']}, series:[{type:'bar', data:[1,2], label:{show:true, textBorderColor:'none', textBorderWidth: 0}, itemStyle:{color:{type:'linear',x:0,y:0,x2:1,y2:0,colorStops:[{offset:0,color:'#fff'},{offset:1,color:'#000'}]}}}]});
const s = c.renderToSVGString();
console.log(s.match(/<text[^>]*>/)[0]); console.log([...new Set(s.match(/zr\d+-[a-z]+\d*/g))]);
console.log(s.match(/<defs>[\s\S]*?<\/defs>/)?.[0]?.slice(0,300));
