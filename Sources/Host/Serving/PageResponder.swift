import Logging
import SluiceVM

/// Turns one routed page request into a response: session, script run, template render.
struct PageResponder {
    let site: Site
    let devMode: Bool
    let logger: Logger
    let requestID: String

    func respond(to request: PageRequest, match: PageRouter.Match) -> OutgoingResponse {
        guard let page = site.files.page(match.file, generation: match.generation) else { return SiteHost.plainResponse(404, "Not Found") }
        let session = site.services.beginSession(cookie: request.cookies.first { $0.key == SiteServices.sessionCookie }?.value)
        var state = PageState()
        var instructions = 0
        var peakHeap = 0
        var failure: Diagnostic? = page.scriptError
        let requestValue = ContextBindings.requestValue(request, routeParams: match.params)

        if let program = page.program {
            switch site.files.links(for: page, program: program, generation: match.generation) {
            case .failure(let d):
                failure = d
            case .success(let links):
                do {
                    let pageRuntime = try site.runtimes.take(for: site)
                    let rt = pageRuntime.runtime
                    pageRuntime.context.begin(session: session, logger: logger, log: scriptLogger())
                    ContextBindings.setRequest(requestValue, in: rt, context: pageRuntime.context)
                    let outcome = PageRun.run(page: page, program: program, links: links, runtime: rt,
                                              limits: site.config.limits, state: pageRuntime.context.state)
                    state = pageRuntime.context.state
                    failure = outcome.failure
                    instructions = outcome.instructions
                    peakHeap = outcome.peakHeapBytes
                    site.services.afterRun(context: pageRuntime.context)
                    site.runtimes.give(back: pageRuntime, endedCleanly: !outcome.budgetExceeded)
                } catch {
                    failure = Diagnostic(file: page.file, line: 1, column: 1, message: "could not prepare the script runtime")
                }
            }
        }
        if let failure {
            logger.error("script error", metadata: [
                "request": .string(requestID), "site": .string(site.code), "page": .string(failure.file),
                "line": .stringConvertible(failure.line), "column": .stringConvertible(failure.column),
                "error": .string(failure.message),
            ])
        }

        var response: OutgoingResponse
        switch state.terminal {
        case .json(let text)?:
            response = OutgoingResponse(status: state.status, headers: [("Content-Type", "application/json; charset=utf-8")],
                                        body: Array(text.utf8))
        case .html(let text)?:
            response = OutgoingResponse(status: state.status, headers: [("Content-Type", "text/html; charset=utf-8")],
                                        body: Array(text.utf8))
        case .redirect(let url, let status)?:
            response = OutgoingResponse(status: status, headers: [("Location", url)], body: [])
        case nil:
            response = render(page: page, requestValue: requestValue, session: session, state: state, failure: failure)
        }
        for h in state.headers {
            let name = h.name.lowercased()
            if state.terminal != nil && (name == "content-type" || name == "location") { continue }
            response.headers.removeAll { $0.name.lowercased() == name }
            response.headers.append(h)
        }
        if let cookie = site.services.commitSession(session) {
            response.headers.append(("Set-Cookie", cookie))
        }
        for c in state.setCookies { response.headers.append(("Set-Cookie", c)) }
        if !response.headers.contains(where: { $0.name.lowercased() == "cache-control" }) {
            response.headers.append(("Cache-Control", "no-store"))
        }
        response.metrics.instructions = instructions
        response.metrics.peakHeapBytes = peakHeap
        return response
    }

    private func render(page: CompiledPage, requestValue: ScriptValue, session: SessionState, state: PageState,
                        failure: Diagnostic?) -> OutgoingResponse {
        let template: Template
        switch page.template {
        case .success(let t): template = t
        case .failure(let d):
            logger.error("template error", metadata: ["request": .string(requestID), "page": .string(d.description)])
            return SiteHost.errorPage(500, devMode ? d : nil)
        }
        var variables = site.config.variables
        for v in state.variables {
            if let at = variables.firstIndex(where: { $0.key == v.key }) { variables[at] = v } else { variables.append(v) }
        }
        let context = ScriptValue.object([
            ScriptProperty("var", .object(variables)),
            ScriptProperty("query", requestValue["query"] ?? .object([])),
            ScriptProperty("request", requestValue),
            ScriptProperty("customer", session.customer?.scriptValue ?? .null),
            ScriptProperty("is_customer", .bool(session.isCustomer)),
            ScriptProperty("brand", site.brandValue),
        ])
        var html = template.render(context: context)
        if devMode, let failure { html = DevErrorPanel.insert(failure, into: html) }
        return OutgoingResponse(status: state.status, headers: [("Content-Type", "text/html; charset=utf-8")],
                                body: Array(html.utf8))
    }

    /// Script console lines go to the server log, tagged with the request.
    private func scriptLogger() -> (String, String) -> Void {
        let logger = self.logger, requestID = self.requestID, site = self.site.code
        return { level, text in
            let metadata: Logger.Metadata = ["request": .string(requestID), "site": .string(site), "source": "script"]
            switch level {
            case "error": logger.error("\(text)", metadata: metadata)
            case "warn": logger.warning("\(text)", metadata: metadata)
            default: logger.info("\(text)", metadata: metadata)
            }
        }
    }
}
