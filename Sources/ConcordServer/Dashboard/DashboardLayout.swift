/// The page shell every dashboard page shares: inline CSS (no external assets), navigation, and who is signed in.
enum DashboardLayout {
    static func page(title: String, caller: AuthenticatedCaller?, body: String) -> String {
        var nav = ""
        if let caller {
            nav = """
                <nav><a href="/dashboard">Overview</a><a href="/dashboard/logs">Calls</a>\
                <a href="/dashboard/logs?status=error">Errors</a>\
                <span class="who" id="signed-in-as">\(HTML.escape(caller.userID)) (\(caller.role.rawValue))</span>\
                <form method="post" action="/dashboard/logout"><button type="submit">Sign out</button></form></nav>
                """
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · Concord</title>
            <style>\(css)</style></head>
            <body><header><a class="brand" href="/dashboard">Concord</a>\(nav)</header>
            <main>\(body)</main></body></html>
            """
    }

    static let css = """
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;\
        color:#1d2330;background:#f5f6f8}header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;\
        padding:.6rem 1rem;background:#1d2330;color:#fff}header a{color:#fff;text-decoration:none}.brand{font-weight:700}\
        nav{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;flex:1}nav form{margin:0}.who{margin-left:auto;opacity:.8}\
        nav button{background:none;border:1px solid #fff6;color:#fff;border-radius:4px;padding:.15rem .5rem;cursor:pointer}\
        main{max-width:1200px;margin:0 auto;padding:1rem}h1{font-size:1.3rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}\
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.75rem}\
        .card{background:#fff;border-radius:8px;padding:.75rem;box-shadow:0 1px 2px #0001}\
        .card .label{font-size:.8rem;color:#5a6275}.card .value{font-size:1.4rem;font-weight:600}.card .note{font-size:.75rem;color:#5a6275}\
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:.75rem}\
        .chart{background:#fff;border-radius:8px;padding:.5rem .75rem;box-shadow:0 1px 2px #0001}.chart svg{width:100%;height:auto;display:block}\
        .tables{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr));gap:.75rem}\
        .scroll{overflow-x:auto;background:#fff;border-radius:8px;box-shadow:0 1px 2px #0001}\
        table{border-collapse:collapse;width:100%}th,td{padding:.35rem .6rem;border-bottom:1px solid #eceef2;text-align:left;\
        white-space:nowrap}th{font-size:.75rem;color:#5a6275;font-weight:600}td.num,th.num{text-align:right}\
        .error{color:#b42318}.ok{color:#067647}a{color:#2453c7}\
        .ranges{display:flex;flex-wrap:wrap;gap:.4rem;margin-bottom:1rem}.ranges a{padding:.2rem .6rem;border-radius:4px;background:#fff;\
        text-decoration:none;border:1px solid #d5d9e0}.ranges a.on{background:#2453c7;color:#fff;border-color:#2453c7}\
        form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:1rem}\
        form.filters label{display:flex;flex-direction:column;font-size:.75rem;color:#5a6275}\
        input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid #c8cdd6;border-radius:4px;background:#fff}\
        button{cursor:pointer}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;background:#fff;padding:.75rem;\
        border-radius:8px}dt{color:#5a6275}dd{margin:0;word-break:break-all}pre{white-space:pre-wrap;word-break:break-word;\
        background:#fff;padding:.75rem;border-radius:8px;max-height:30rem;overflow:auto}\
        .tree ul{list-style:none;padding-left:1.2rem;border-left:1px solid #d5d9e0}.tree>ul{padding-left:0;border:0}\
        .tree li{margin:.3rem 0}.login{max-width:380px;margin:10vh auto;background:#fff;padding:1.5rem;border-radius:8px;\
        box-shadow:0 1px 3px #0002}.login input{width:100%;margin:.5rem 0 1rem}.muted{color:#5a6275}\
        @media (max-width:600px){main{padding:.5rem}.card .value{font-size:1.15rem}th,td{padding:.3rem .4rem}}
        """
}
