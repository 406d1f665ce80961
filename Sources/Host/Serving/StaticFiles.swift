/// Files under a site's `public/` folder, served when no page matches.
enum StaticFiles {
    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json", "txt": "text/plain; charset=utf-8", "xml": "application/xml",
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "ico": "image/x-icon", "avif": "image/avif", "woff": "font/woff", "woff2": "font/woff2",
        "ttf": "font/ttf", "otf": "font/otf", "pdf": "application/pdf", "map": "application/json",
        "webmanifest": "application/manifest+json", "mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg",
    ]
    static let maxFileBytes = 64 << 20

    /// The file for a decoded URL path, or nil. Dot segments, hidden files and anything outside
    /// `public/` are refused.
    static func file(for path: String, in directory: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty,
              !parts.contains(where: { $0.hasPrefix(".") || $0.contains("\\") || $0.contains("\0") }) else { return nil }
        let file = directory + "/" + parts.joined(separator: "/")
        return FileSystem.stamp(file) != nil ? file : nil
    }

    static func response(file: String) -> OutgoingResponse? {
        guard let bytes = FileSystem.readBytes(file, limit: maxFileBytes) else { return nil }
        let ext = file.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return OutgoingResponse(status: 200, headers: [
            ("Content-Type", contentTypes[ext] ?? "application/octet-stream"),
            ("Cache-Control", "public, max-age=300"),
        ], body: bytes)
    }
}
