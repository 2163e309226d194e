namespace Cloudkeep.Server.WebConsole;

/// <summary>The console's one stylesheet, served from /console/static/console.css (no CDN, no inline styles: the CSP forbids them).</summary>
internal static class ConsoleStyles
{
    public const string Css = """
        :root { --ink: #16191f; --muted: #5f6b7a; --line: #d5dbdb; --bg: #f2f3f3; --brand: #232f3e; --accent: #0972d3; --danger: #d13212; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        header.top { display: flex; align-items: center; gap: 16px; padding: 8px 20px; background: var(--brand); color: #fff; }
        header.top a, header.top summary, header.top button.link { color: #fff; text-decoration: none; }
        header.top nav { display: flex; gap: 14px; }
        .brand { font-weight: 700; font-size: 16px; }
        .spacer { flex: 1; }
        main { max-width: 1100px; margin: 24px auto; padding: 0 20px; }
        h1 { font-size: 22px; margin: 0 0 12px; }
        h2 { font-size: 17px; margin: 0 0 10px; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin-bottom: 18px; }
        .narrow { max-width: 480px; margin-left: auto; margin-right: auto; }
        form.stack label { display: block; margin-bottom: 12px; font-weight: 600; }
        form.stack input[type=text], form.stack input[type=password] { display: block; width: 100%; margin-top: 4px; padding: 7px 9px; border: 1px solid #8d99a8; border-radius: 4px; font: inherit; }
        form.inline { display: inline; }
        button, a.button { font: inherit; padding: 6px 14px; border-radius: 16px; border: 1px solid var(--accent); cursor: pointer; text-decoration: none; display: inline-block; }
        button.primary, a.button { background: var(--accent); color: #fff; }
        button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: #fff; color: var(--danger); border-color: var(--danger); }
        button.link { background: none; border: none; padding: 4px 0; border-radius: 0; text-align: left; }
        .error { background: #fff0ee; border: 1px solid var(--danger); color: #7d1a0a; padding: 10px 12px; border-radius: 6px; margin: 10px 0; }
        .notice { background: #f0f8ff; border: 1px solid var(--accent); padding: 10px 12px; border-radius: 6px; margin: 10px 0; }
        .hint { color: var(--muted); }
        table { border-collapse: collapse; width: 100%; background: #fff; margin-bottom: 12px; }
        th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); }
        th { background: #fafafa; font-weight: 600; }
        td.actions form { margin-right: 6px; }
        .mono, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        code.secret { word-break: break-all; background: #fafafa; padding: 2px 4px; }
        img.qr { display: block; width: 200px; height: 200px; margin: 10px 0; image-rendering: pixelated; }
        details.menu { position: relative; }
        details.menu summary { cursor: pointer; list-style: none; padding: 4px 10px; border: 1px solid #5f6b7a; border-radius: 14px; }
        details.menu .menu-body { position: absolute; right: 0; top: 34px; min-width: 260px; background: #fff; color: var(--ink); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; z-index: 10; box-shadow: 0 4px 16px rgba(0,0,0,.2); }
        details.menu .menu-body a, details.menu .menu-body button.link { display: block; color: var(--accent); padding: 4px 0; }
        .menu-heading { color: var(--muted); margin: 8px 0 2px; font-size: 12px; text-transform: uppercase; }
        .badge { padding: 4px 12px; border-radius: 14px; font-weight: 700; color: #16191f; }
        .colour-red { background: #ffb3a7; } .colour-orange { background: #ffd19a; } .colour-yellow { background: #fff3a3; }
        .colour-green { background: #b7efc5; } .colour-blue { background: #b4d8ff; }
        fieldset.colours { border: none; padding: 0; margin: 0 0 12px; display: flex; gap: 8px; flex-wrap: wrap; }
        fieldset.colours label { padding: 4px 10px; border-radius: 12px; font-weight: 400; }
        ul.tiles { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 14px; }
        ul.tiles li { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px; }
        ul.tiles a { font-weight: 700; color: var(--accent); }
        a { color: var(--accent); }
        .crumbs { color: var(--muted); }
        nav.tabs { display: flex; gap: 4px; flex-wrap: wrap; margin-bottom: 16px; border-bottom: 1px solid var(--line); }
        nav.tabs a { padding: 8px 12px; text-decoration: none; color: var(--ink); }
        nav.tabs a.current { border-bottom: 3px solid var(--accent); font-weight: 700; }
        textarea { display: block; width: 100%; margin-top: 4px; font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; padding: 8px; border: 1px solid #8d99a8; border-radius: 4px; }
        pre { background: #fafafa; border: 1px solid var(--line); padding: 10px; overflow: auto; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; }
        label.check { display: block; font-weight: 400; margin-bottom: 8px; }
        form.inline label { display: inline; font-weight: 600; }
        form.inline input[type=text] { padding: 5px 8px; margin: 0 6px; border: 1px solid #8d99a8; border-radius: 4px; }
        a.folder::before { content: "\1F4C1  "; }
        form.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; margin-bottom: 14px; }
        form.filters select, form.filters input[type=datetime-local] { padding: 5px 8px; margin: 0 6px; border: 1px solid #8d99a8; border-radius: 4px; font: inherit; }
        .severity { padding: 1px 8px; border-radius: 10px; font-weight: 700; font-size: 12px; white-space: nowrap; }
        .severity-critical { background: #7d1a0a; color: #fff; } .severity-high { background: #ffb3a7; } .severity-medium { background: #ffd19a; } .severity-low { background: #e9ebed; }
        form.stack input[type=email], form.stack select { display: block; width: 100%; margin-top: 4px; padding: 7px 9px; border: 1px solid #8d99a8; border-radius: 4px; font: inherit; }
        form.filters fieldset { border: 1px solid #d5dbe1; border-radius: 4px; padding: 6px 10px; margin: 0; display: flex; flex-wrap: wrap; gap: 8px 14px; }
        form.filters input[type=date] { padding: 5px 8px; margin: 0 6px; border: 1px solid #8d99a8; border-radius: 4px; font: inherit; }
        form.inline select { padding: 5px 8px; margin: 0 6px; border: 1px solid #8d99a8; border-radius: 4px; font: inherit; }
        figure.chart { margin: 0 0 12px; }
        figure.chart > svg { width: 100%; height: auto; display: block; }
        ul.legend { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
        ul.legend svg { vertical-align: -1px; margin-right: 6px; }
        ul.plain { list-style: none; padding: 0; margin: 0; }
        div.scroll { overflow-x: auto; }
        td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        caption { text-align: left; color: var(--muted); padding: 4px 0; }
        meter { width: 90px; vertical-align: middle; }
        a.danger-link { color: var(--danger); }
        a.button-secondary { padding: 6px 14px; border-radius: 16px; border: 1px solid var(--accent); text-decoration: none; display: inline-block; }
        .state { padding: 1px 8px; border-radius: 10px; font-weight: 700; font-size: 12px; white-space: nowrap; background: #e9ebed; }
        .state-alarm { background: #ffb3a7; } .state-ok { background: #b7efc5; } .state-insufficient-data { background: #fff3a3; } .state-triggered { background: #ffb3a7; }
        """;
}
