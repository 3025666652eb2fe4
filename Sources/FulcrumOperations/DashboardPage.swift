/// The live dashboard served at `/`: one self-contained page (no external scripts, styles or fonts, so it works
/// on an isolated network) that polls `/parameters` and shows, per asset, price, annualized σ, IMF / MMF / max
/// leverage (published beside target), status, live coverage of the published margins (exceptions over the rolling
/// window against the target rate, Kupiec's statistic and p-value, traffic-light zone), and a correlation heatmap —
/// what a risk officer keeps on a screen.
///
/// Every figure sits in an element with `data-symbol` and `data-field` attributes (and the heatmap cells with
/// `data-row` / `data-column`), so the page can be checked against `/parameters` by machine.
public enum DashboardPage {
    /// The page, with the polling period in milliseconds filled in.
    public static func html(refreshMilliseconds: Int) -> String {
        template.replacingOccurrences(of: "__REFRESH_MS__", with: "\(refreshMilliseconds)")
    }

    static let template = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Fulcrum — risk parameters</title>
    <style>
      :root { --bg: #0f1419; --panel: #171d24; --line: #2a323c; --text: #e6e9ed; --muted: #8a96a3;
              --ok: #3fb950; --warn: #d29922; --bad: #f85149; --info: #58a6ff; }
      * { box-sizing: border-box; }
      body { margin: 0; background: var(--bg); color: var(--text);
             font: 14px/1.4 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
      header { display: flex; align-items: baseline; gap: 24px; padding: 14px 24px;
               border-bottom: 1px solid var(--line); background: var(--panel); }
      header h1 { font-size: 18px; margin: 0; letter-spacing: 0.5px; }
      header .meta { color: var(--muted); font-size: 13px; }
      .pill { display: inline-block; padding: 2px 10px; border-radius: 10px; font-weight: 600; font-size: 12px; }
      .pill.ok { background: rgba(63,185,80,.15); color: var(--ok); }
      .pill.bad { background: rgba(248,81,73,.15); color: var(--bad); }
      .pill.warn { background: rgba(210,153,34,.15); color: var(--warn); }
      main { display: grid; grid-template-columns: minmax(0, 7fr) minmax(320px, 4fr); gap: 20px;
             padding: 20px 24px; }
      section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 14px 16px; }
      section h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 1px; color: var(--muted);
                   margin: 0 0 10px 0; font-weight: 600; }
      table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
      th, td { padding: 6px 8px; text-align: right; white-space: nowrap; }
      th { color: var(--muted); font-weight: 600; font-size: 12px; border-bottom: 1px solid var(--line); }
      td { border-bottom: 1px solid #20272f; }
      th:first-child, td:first-child { text-align: left; }
      td.sym { font-weight: 700; }
      .target { color: var(--muted); font-size: 12px; margin-left: 4px; }
      .up { color: var(--bad); } .down { color: var(--ok); }
      .status { font-weight: 700; font-size: 12px; text-transform: uppercase; }
      .status.ready { color: var(--ok); } .status.warming { color: var(--info); }
      .status.stressed, .status.stale { color: var(--bad); }
      .zone { font-weight: 700; font-size: 12px; text-transform: uppercase; }
      .zone.green { color: var(--ok); } .zone.yellow { color: var(--warn); } .zone.red { color: var(--bad); }
      section.wide { grid-column: 1 / -1; overflow-x: auto; }
      #heatmap { display: grid; gap: 2px; font-size: 11px; font-variant-numeric: tabular-nums; }
      #heatmap div { padding: 6px 2px; text-align: center; border-radius: 2px; min-width: 0; overflow: hidden; }
      #heatmap .label { color: var(--muted); background: none; font-weight: 600; }
      #heatnote { margin-top: 8px; color: var(--muted); font-size: 11px; }
      .legend { display: flex; align-items: center; gap: 8px; margin-top: 10px; color: var(--muted); font-size: 11px; }
      .legend .bar { flex: 1; height: 8px; border-radius: 4px;
                     background: linear-gradient(90deg, rgb(59,130,246), rgb(40,46,54), rgb(239,68,68)); }
      #feeds td, #feeds th { font-size: 12px; }
      .reasons { color: var(--muted); font-size: 11px; text-align: left; white-space: normal; max-width: 190px;
                 overflow-wrap: anywhere; }
      .empty { color: var(--muted); padding: 20px 0; text-align: center; }
      footer { color: var(--muted); font-size: 12px; padding: 0 24px 16px; }
      @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
    </style>
    </head>
    <body>
    <header>
      <h1>FULCRUM</h1>
      <span id="readiness" class="pill warn">connecting</span>
      <span class="meta">epoch <span id="epoch">–</span></span>
      <span class="meta">sequence <span id="sequence">–</span></span>
      <span class="meta">grid steps <span id="steps">–</span></span>
      <span class="meta">as of <span id="asof">–</span></span>
    </header>
    <main>
      <section class="wide">
        <h2>Margin parameters (published, target in grey) and coverage over the rolling window</h2>
        <table>
          <thead><tr>
            <th>Symbol</th><th>Price</th><th>σ annual</th><th>IMF</th><th>MMF</th><th>Max lev.</th><th>Status</th>
            <th>Exceptions (rate, target)</th><th>Kupiec LR (p)</th><th>Zone</th>
            <th style="text-align:left">Reasons</th>
          </tr></thead>
          <tbody id="assets"><tr><td colspan="11" class="empty">waiting for data…</td></tr></tbody>
        </table>
      </section>
      <section>
        <h2>Correlation</h2>
        <div id="heatmap"></div>
        <div class="legend"><span>−1</span><span class="bar"></span><span>+1</span></div>
        <div id="heatnote" class="meta"></div>
      </section>
      <section>
        <h2>Feeds</h2>
        <table id="feeds">
          <thead><tr><th>Feed</th><th>Received</th><th>Accepted</th><th>Rejected</th><th>Last message</th></tr></thead>
          <tbody id="feedrows"></tbody>
        </table>
      </section>
      <section>
        <h2>Readiness</h2>
        <div id="reasons" class="meta">–</div>
      </section>
    </main>
    <footer>Updated <span id="updated">never</span> · polling /parameters every __REFRESH_MS__ ms ·
      <a href="/metrics" style="color:var(--info)">/metrics</a></footer>
    <script>
    "use strict";
    const REFRESH_MS = __REFRESH_MS__;
    const pct = v => v == null ? "–" : (v * 100).toFixed(2) + "%";
    const num = v => v == null ? "–" : (Math.abs(v) >= 100 ? v.toFixed(2) : v.toPrecision(6));
    const lev = v => v == null ? "–" : v + "×";
    const count = v => v == null ? "–" : String(v);
    const esc = s => String(s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                                                           '"': "&quot;", "'": "&#39;"}[c]));
    function cell(symbol, field, text, cls) {
      return `<span data-symbol="${esc(symbol)}" data-field="${field}"${cls ? ` class="${cls}"` : ""}>${text}</span>`;
    }
    function pair(a, field, value, target, fmt) {
      const arrow = value != null && target != null && Math.abs(target - value) > 1e-12
        ? (target > value ? ' <span class="up">▲</span>' : ' <span class="down">▼</span>') : "";
      return cell(a.symbol, field, fmt(value)) + arrow +
        `<span class="target">(${cell(a.symbol, field + "Target", fmt(target))})</span>`;
    }
    function coverage(a) {
      const c = a.coverage || {}, zone = a.coverage == null ? "–" : c.zone;
      return `<td>${cell(a.symbol, "coverageExceptions", count(c.exceptions))} / ` +
        `${cell(a.symbol, "coverageObservations", count(c.observations))} · ` +
        `${cell(a.symbol, "coverageExceptionRate", pct(c.exceptionRate))}` +
        `<span class="target">(${cell(a.symbol, "coverageTargetRate", pct(c.targetRate))})</span></td>
        <td>${cell(a.symbol, "coverageKupiecStatistic", num(c.kupiecStatistic))}` +
        `<span class="target">(p ${cell(a.symbol, "coverageKupiecPValue", num(c.kupiecPValue))})</span></td>
        <td>${cell(a.symbol, "coverageZone", esc(zone), "zone " + esc(zone))}` +
        `${c.widened ? ' <span class="target">widened</span>' : ""}</td>`;
    }
    function color(v) {
      if (v == null) return "rgb(40,46,54)";
      const t = Math.max(-1, Math.min(1, v));
      const base = [40, 46, 54], hi = t >= 0 ? [239, 68, 68] : [59, 130, 246], w = Math.abs(t);
      return `rgb(${base.map((b, i) => Math.round(b + (hi[i] - b) * w)).join(",")})`;
    }
    function render(d) {
      const ready = document.getElementById("readiness");
      ready.textContent = d.ready ? "READY" : "NOT READY";
      ready.className = "pill " + (d.ready ? "ok" : "bad");
      document.getElementById("epoch").textContent = d.epoch;
      document.getElementById("sequence").textContent = d.sequence;
      document.getElementById("steps").textContent = d.gridSteps;
      document.getElementById("asof").textContent = d.lastBoundaryNs == null ? "–"
        : new Date(d.lastBoundaryNs / 1e6).toISOString().replace("T", " ").replace(".000Z", " UTC");
      document.getElementById("reasons").textContent = d.ready ? "All checks pass." : d.notReadyReasons.join("; ");
      const rows = d.assets.map(a => `<tr>
        <td class="sym">${cell(a.symbol, "symbol", esc(a.symbol))}</td>
        <td>${cell(a.symbol, "price", num(a.price))}</td>
        <td>${cell(a.symbol, "sigmaAnnual", pct(a.sigmaAnnual))}</td>
        <td>${pair(a, "imf", a.imf, a.imfTarget, pct)}</td>
        <td>${pair(a, "mmf", a.mmf, a.mmfTarget, pct)}</td>
        <td>${pair(a, "maxLeverage", a.maxLeverage, a.maxLeverageTarget, lev)}</td>
        <td>${cell(a.symbol, "status", esc(a.status || a.estimate), "status " + esc(a.status || a.estimate))}</td>
        ${coverage(a)}
        <td class="reasons">${esc(a.reasons.join(", "))}</td></tr>`);
      document.getElementById("assets").innerHTML = rows.length ? rows.join("")
        : '<tr><td colspan="11" class="empty">no assets yet</td></tr>';
      const n = d.correlation.length, heat = document.getElementById("heatmap");
      heat.style.gridTemplateColumns = `84px repeat(${n}, minmax(0, 1fr))`;
      let cells = ['<div class="label"></div>'];
      for (const a of d.assets.slice(0, n)) cells.push(`<div class="label">${esc(a.symbol)}</div>`);
      d.correlation.forEach((row, i) => {
        cells.push(`<div class="label" style="text-align:left">${esc(d.assets[i].symbol)}</div>`);
        row.forEach((v, j) => cells.push(`<div data-row="${i}" data-column="${j}" style="background:${color(v)}">` +
          `${v == null ? "–" : v.toFixed(2)}</div>`));
      });
      heat.innerHTML = cells.join("");
      document.getElementById("heatnote").textContent = n < d.assets.length
        ? `first ${n} of ${d.assets.length} assets (http.correlationLimit)` : "";
      document.getElementById("feedrows").innerHTML = d.feeds.map(f => `<tr><td>${esc(f.name)}</td>
        <td>${f.received}</td><td>${f.accepted}</td><td>${f.rejected}</td>
        <td>${f.lastMessageAgeSeconds.toFixed(1)} s ago</td></tr>`).join("");
      document.getElementById("updated").textContent = new Date().toISOString().replace("T", " ").slice(0, 19) + " UTC";
      document.body.dataset.loaded = "true";
    }
    async function poll() {
      try {
        const response = await fetch("/parameters", {cache: "no-store"});
        render(await response.json());
      } catch (error) {
        const ready = document.getElementById("readiness");
        ready.textContent = "UNREACHABLE";
        ready.className = "pill bad";
      }
      setTimeout(poll, REFRESH_MS);
    }
    poll();
    </script>
    </body>
    </html>
    """#
}
