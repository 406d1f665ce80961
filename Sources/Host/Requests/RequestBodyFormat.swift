/// How a POST body is read, decided by its Content-Type: as JSON, as a form, or not at all.
enum RequestBodyFormat: Equatable {
    case json
    case form
    case unread

    /// The format for a Content-Type value (nil when the header is missing). The media type is
    /// the first non-empty `;`-separated part, trimmed of spaces, tabs and line breaks, compared
    /// without regard to case.
    init(contentType: String?) {
        var value = contentType ?? ""
        // Byte rules equal the `Character` rules below for ASCII without CR (the only ASCII
        // grapheme of two scalars is CR LF); every ordinary Content-Type value is such text.
        let fromBytes = value.withUTF8 { bytes -> RequestBodyFormat? in
            guard ASCIIText.isASCII(bytes), !bytes.contains(0x0D) else { return nil }
            return RequestBodyFormat(asciiContentType: bytes)
        }
        if let fromBytes {
            self = fromBytes
            return
        }
        let mediaType = value.split(separator: ";").first.map { String($0).trimmingSpaces.lowercased() } ?? ""
        switch mediaType {
        case "application/json": self = .json
        case "application/x-www-form-urlencoded": self = .form
        default: self = .unread
        }
    }

    private init(asciiContentType bytes: UnsafeBufferPointer<UInt8>) {
        // The first non-empty part (`split` omits empty ones).
        var start = 0
        while start < bytes.count && bytes[start] == UInt8(ascii: ";") { start += 1 }
        var end = start
        while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        let mediaType = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if ASCIIText.equalsIgnoringCase(mediaType, "application/json") {
            self = .json
        } else if ASCIIText.equalsIgnoringCase(mediaType, "application/x-www-form-urlencoded") {
            self = .form
        } else {
            self = .unread
        }
    }
}
