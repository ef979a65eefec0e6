// The dashboard's charts, drawn in the browser with ECharts (served from this server) from the
// figures the page carries; the numbers themselves are in the page already.
(function () {
  'use strict';
  var printButton = document.getElementById('print');
  if (printButton)
    printButton.addEventListener('click', function () {
      window.print();
    });
  // The audit page has no charts.
  var carried = document.getElementById('figures');
  if (!carried) return;
  var data = JSON.parse(carried.textContent);
  var f = data.figures;
  var labels = data.labels;
  // Without ECharts the counts stay as tables.
  if (typeof echarts === 'undefined') return;
  document.body.classList.remove('no-charts');
  var COLORS = ['#1f6feb', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#e03131', '#5c7cfa'];
  var charts = [];
  var base = { color: COLORS, animation: false, textStyle: { fontFamily: 'inherit' } };

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(Object.assign({}, base, option));
    charts.push(chart);
  }
  var names = function (rows) {
    return rows.map(function (r) {
      return r.name;
    });
  };
  var counts = function (rows) {
    return rows.map(function (r) {
      return r.count;
    });
  };

  function bars(id, rows) {
    var top = rows.slice(0, 12).reverse();
    draw(id, {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: names(top), axisLabel: { width: 96, overflow: 'truncate' } },
      series: [{ type: 'bar', name: labels.tickets, data: counts(top), label: { show: true, position: 'right' } }],
    });
  }

  draw('chart-priority', {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['38%', '66%'],
        center: ['50%', '45%'],
        label: { formatter: '{b}\n{c}' },
        data: f.priorities.map(function (p) {
          return { name: p.name, value: p.count };
        }),
        color: ['#e03131', '#f08c00', '#1f6feb', '#868e96'],
      },
    ],
  });
  bars('chart-department', f.stats.byDepartment);
  bars('chart-system', f.stats.bySystem);
  bars('chart-group', f.byItGroup);
  draw('chart-trend', {
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [labels.opened, labels.response, labels.resolution] },
    xAxis: { type: 'category', data: f.trend.days },
    yAxis: [
      { type: 'value', minInterval: 1, name: labels.tickets },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { type: 'bar', name: labels.opened, data: f.trend.opened },
      { type: 'line', name: labels.response, yAxisIndex: 1, data: f.trend.response, connectNulls: false },
      { type: 'line', name: labels.resolution, yAxisIndex: 1, data: f.trend.resolution, connectNulls: false },
    ],
  });

  function resize() {
    charts.forEach(function (c) {
      c.resize();
    });
  }
  window.addEventListener('resize', resize);
  // Paper is narrower than most screens: the charts are drawn again for it, and again after.
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  document.body.setAttribute('data-charts', String(charts.length));
})();
