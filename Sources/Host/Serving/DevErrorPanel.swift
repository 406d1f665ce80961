/// The `--dev` error panel: the script error and its source line, shown to the visitor. Never
/// used without `--dev`.
enum DevErrorPanel {
    static func html(_ d: Diagnostic) -> String {
        var out = "<div id=\"sluice-dev-error\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:50%;overflow:auto;"
        out += "background:#2b0d0d;color:#ffd7d7;font:13px/1.5 ui-monospace,monospace;padding:12px 16px;z-index:2147483647;"
        out += "border-top:3px solid #e5484d;white-space:pre-wrap\"><strong>Backend script error</strong>\n"
        out += HTMLEscaping.escape(d.excerpt)
        out += "</div>"
        return out
    }

    static func insert(_ d: Diagnostic, into page: String) -> String {
        let panel = html(d)
        let bytes = Array(page.utf8), marker = Array("</body>".utf8)
        if bytes.count >= marker.count {
            for start in stride(from: bytes.count - marker.count, through: 0, by: -1)
            where bytes[start..<start + marker.count].elementsEqual(marker) {
                return String(decoding: bytes[..<start], as: UTF8.self) + panel + String(decoding: bytes[start...], as: UTF8.self)
            }
        }
        return page + panel
    }
}
