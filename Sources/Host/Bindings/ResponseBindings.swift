import SluiceVM

/// `response.status/json/send`, `redirect`, `setHeader` and `cookie.set/delete`.
enum ResponseBindings {
    /// Header names a script may not set: cookies, CORS, the connection and framing (reference notes Q17).
    static let blockedHeaderPrefixes = ["access-control-", "proxy-"]
    static let blockedHeaders: Set<String> = [
        "set-cookie", "cookie", "connection", "keep-alive", "transfer-encoding", "content-length", "host",
        "upgrade", "te", "trailer", "date", "server",
    ]
    /// Cookie names the platform owns.
    static let reservedCookiePrefixes = ["sluice_", "st_res_"]

    static func install(into rt: Runtime, context: PageContext) throws(VMError) {
        let response = try rt.newObject()
        try rt.defineMethod(response, "status", 1) { rt, _, args throws(VMError) in
            let v = args[0]
            if v.isNumber, v.number == v.number.rounded(), v.number >= 100, v.number <= 599 {
                context.state.status = Int(v.number)
            } else {
                context.log("warn", "response.status ignored an invalid status \(try rt.toSwiftString(v))")
            }
            return .undefined
        }
        try rt.defineMethod(response, "json", 1) { rt, _, args throws(VMError) in
            context.state.terminal = .json(try stringify(rt, args[0]))
            throw VMError.terminated(.cancelled)
        }
        try rt.defineMethod(response, "send", 1) { rt, _, args throws(VMError) in
            context.state.terminal = .html(args[0].isUndefined ? "" : try rt.toSwiftString(args[0]))
            throw VMError.terminated(.cancelled)
        }
        try rt.defineGlobal("response", Value(response))

        let redirect = try rt.newNativeFunction(name: "redirect", length: 1) { rt, _, args throws(VMError) in
            let url = try rt.toSwiftString(args[0])
            guard isAllowedRedirect(url) else {
                throw rt.error(.error, "redirect() accepts a relative /path or an http(s):// URL, not '\(url.prefix(80))'")
            }
            var status = 302
            if args.count > 1, args[1].isNumber, [301, 302, 303, 307, 308].contains(args[1].number) {
                status = Int(args[1].number)
            }
            context.state.terminal = .redirect(url: stripCRLF(url), status: status)
            throw VMError.terminated(.cancelled)
        }
        try rt.defineGlobal("redirect", Value(redirect))

        let setHeader = try rt.newNativeFunction(name: "setHeader", length: 2) { rt, _, args throws(VMError) in
            let name = try rt.toSwiftString(args[0])
            let value = stripCRLF(try rt.toSwiftString(args[1]))
            let lower = name.lowercased()
            if !isToken(name) || blockedHeaders.contains(lower) || blockedHeaderPrefixes.contains(where: lower.hasPrefix) {
                context.log("warn", "setHeader ignored the header '\(name.prefix(80))' (not allowed from scripts)")
                return .undefined
            }
            context.state.headers.removeAll { $0.name.lowercased() == lower }
            context.state.headers.append((name, value))
            return .undefined
        }
        try rt.defineGlobal("setHeader", Value(setHeader))

        let cookie = try rt.newObject()
        try rt.defineMethod(cookie, "set", 3) { rt, _, args throws(VMError) in
            let name = try rt.toSwiftString(args[0])
            guard isCookieNameAllowed(name) else {
                context.log("warn", "cookie.set ignored the cookie '\(name.prefix(80))'")
                return .undefined
            }
            let value = try rt.toSwiftString(args[1])
            var maxAge: Int? = nil
            var path = "/"
            if let options = args[2].asObject {
                let m = try rt.get(options, rt.key("maxAge"))
                if m.isNumber, m.number.isFinite { maxAge = Int(m.number) }
                let p = try rt.get(options, rt.key("path"))
                if p.isString, let s = Optional(try rt.toSwiftString(p)), s.hasPrefix("/"), isCookieValueSafe(s) { path = s }
            }
            context.state.setCookies.append(setCookieLine(name: name, value: value, maxAge: maxAge, path: path))
            return .undefined
        }
        try rt.defineMethod(cookie, "delete", 1) { rt, _, args throws(VMError) in
            let name = try rt.toSwiftString(args[0])
            guard isCookieNameAllowed(name) else {
                context.log("warn", "cookie.delete ignored the cookie '\(name.prefix(80))'")
                return .undefined
            }
            context.state.setCookies.append(setCookieLine(name: name, value: "", maxAge: 0, path: "/"))
            return .undefined
        }
        try rt.defineGlobal("cookie", Value(cookie))
    }

    /// The engine's own `JSON.stringify` (the original, whatever the script did to `JSON`);
    /// `null` when it gives `undefined`. Written straight into Swift text, with no string made
    /// in the script heap.
    static func stringify(_ rt: Runtime, _ value: Value) throws(VMError) -> String {
        try rt.jsonStringifiedText(value) ?? "null"
    }

    static func isAllowedRedirect(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return url.count > 8 }
        return url.hasPrefix("/") && !url.hasPrefix("//") && !url.hasPrefix("/\\")
    }

    static func stripCRLF(_ s: String) -> String {
        String(s.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" })
    }

    static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }

    static func isCookieNameAllowed(_ name: String) -> Bool {
        isToken(name) && !reservedCookiePrefixes.contains { name.lowercased().hasPrefix($0) }
    }

    static func isCookieValueSafe(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: ",") }
    }

    static func setCookieLine(name: String, value: String, maxAge: Int?, path: String) -> String {
        var line = "\(name)=\(percentEncodeCookie(value)); Path=\(path); SameSite=Lax"
        if let maxAge { line += "; Max-Age=\(max(0, maxAge))" }
        return line
    }

    /// Cookie values are percent-encoded outside the safe set (request parsing decodes them).
    static func percentEncodeCookie(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if b > 0x20, b < 0x7F, b != UInt8(ascii: ";"), b != UInt8(ascii: ","), b != UInt8(ascii: "%"),
               b != UInt8(ascii: "\""), b != UInt8(ascii: "\\") {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
