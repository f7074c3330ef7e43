/// The report page's stylesheet and its chart-drawing script (plain canvas, no libraries).
enum HTMLReportAssets {
    static let style = """
        body{font:14px system-ui,sans-serif;margin:24px;color:#1d232a;max-width:1000px}
        h1{font-size:22px}h2{font-size:16px;margin-top:28px}
        .meta,.empty{color:#667}.summary{font-weight:600}
        canvas{border:1px solid #dde;border-radius:4px;max-width:100%}
        table{border-collapse:collapse;font-size:12px;width:100%}
        th,td{border-bottom:1px solid #eef;padding:3px 6px;text-align:right}
        th:first-child,td:first-child{text-align:left}
        """

    /// Draws each chart from `#report-data`: one line per series over shared time and value axes
    /// (positions as steps, since they change only at fills), with a legend; marks the canvas `data-drawn="true"` and `data-points` with what it drew.
    static let script = """
        (function(){
          var data=JSON.parse(document.getElementById('report-data').textContent);
          var colors=['#2b6cb0','#c05621','#2f855a','#b83280','#6b46c1','#975a16','#2c7a7b','#c53030'];
          function draw(id,series,step){
            var c=document.getElementById(id),g=c.getContext('2d'),W=c.width,H=c.height,L=70,R=10,T=10,B=34;
            var pts=0,t0=Infinity,t1=-Infinity,v0=Infinity,v1=-Infinity;
            series.forEach(function(s){s.points.forEach(function(p){t0=Math.min(t0,p.t);t1=Math.max(t1,p.t);v0=Math.min(v0,p.v);v1=Math.max(v1,p.v);pts++;});});
            g.fillStyle='#fff';g.fillRect(0,0,W,H);g.fillStyle='#667';g.font='11px sans-serif';
            if(pts===0){g.fillText('no data recorded',L,H/2);c.dataset.drawn='true';c.dataset.points='0';return;}
            if(t1===t0){t1=t0+1;} if(v1===v0){v1=v0+Math.max(1,Math.abs(v0)*0.01);v0=v0-Math.max(1,Math.abs(v0)*0.01);}
            var x=function(t){return L+(t-t0)/(t1-t0)*(W-L-R);},y=function(v){return T+(v1-v)/(v1-v0)*(H-T-B);};
            g.strokeStyle='#dde';g.beginPath();g.moveTo(L,T);g.lineTo(L,H-B);g.lineTo(W-R,H-B);g.stroke();
            g.fillText(v1.toPrecision(7),4,T+8);g.fillText(v0.toPrecision(7),4,H-B);
            g.fillText('0 s',L,H-B+14);g.fillText(((t1-t0)/1e6).toFixed(1)+' s',W-R-40,H-B+14);
            series.forEach(function(s,i){
              var col=colors[i%colors.length];g.strokeStyle=col;g.lineWidth=1.5;g.beginPath();
              var prev=null;s.points.forEach(function(p,j){var px=x(p.t),py=y(p.v);if(j===0){g.moveTo(px,py);}else{if(step){g.lineTo(px,prev);}g.lineTo(px,py);}prev=py;});
              if(s.points.length===1){g.arc(x(s.points[0].t),y(s.points[0].v),2,0,7);}
              g.stroke();g.fillStyle=col;g.fillText(s.name,L+8+(i%4)*200,H-6-Math.floor(i/4)*12);
            });
            c.dataset.drawn='true';c.dataset.points=String(pts);c.dataset.series=String(series.length);
          }
          draw('equity',data.equity,false);draw('positions',data.positions,true);draw('prices',data.prices,false);
        })();
        """
}
