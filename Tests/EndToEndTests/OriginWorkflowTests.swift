import Foundation
import Testing

/// The origin page's workflow on the example site, over HTTP, with a real SQLite file.
@Suite(.serialized) struct OriginWorkflowTests {
    @Test func weightCheckinWorkflowEndToEnd() throws {
        let server = try TestServer(sites: [TestServer.exampleSite])
        let visitor = server.client()

        // Anonymous: 401 from requireCustomer(), and the script stops there.
        let anonymous = try visitor.postJSON("/weight/checkin", #"{"weight": 182}"#)
        #expect(anonymous.status == 401)
        #expect(json(anonymous)?["ok"] as? Bool == false)
        #expect(json(anonymous)?["error"] as? String == "not authenticated")

        // The page itself renders for GET, with the backend block stripped and the browser script kept.
        let page = try visitor.get("/weight/checkin")
        #expect(page.status == 200)
        #expect(page.text.contains("<h1>Weight Check-in</h1>"))
        #expect(!page.text.contains("scope=\"backend\""))
        #expect(!page.text.contains("WeightCheckinSchema"))
        #expect(page.text.contains("document.getElementById('checkin-form')"))

        // Log in through the form page: session cookie + redirect to the dashboard.
        let login = try visitor.postForm("/login", "email=ada%40example.com&name=Ada")
        #expect(login.status == 302)
        #expect(login.header("location") == "/dashboard")
        #expect(visitor.cookies["sluice_session"] != nil)

        // Valid check-in: defaults applied, stored.
        let ok = try visitor.postJSON("/weight/checkin", #"{"weight": 182}"#)
        #expect(ok.status == 200)
        let okBody = json(ok)
        #expect(okBody?["ok"] as? Bool == true)
        let data = okBody?["data"] as? [String: Any]
        #expect(data?["weight"] as? Double == 182)
        #expect(data?["unit"] as? String == "lbs")
        #expect(data?["notes"] as? String == "")
        #expect(ok.header("content-type")?.hasPrefix("application/json") == true)

        // Invalid: 400 listing every invalid field.
        let bad = try visitor.postJSON("/weight/checkin", #"{"weight": 900, "unit": "stone"}"#)
        #expect(bad.status == 400)
        let errors = json(bad)?["errors"] as? [String] ?? []
        #expect(errors.count == 2)
        #expect(errors.contains { $0.contains("weight") && $0.contains("500") })
        #expect(errors.contains { $0.contains("unit") })

        // Dashboard shows the stored weight; no goal yet, so the v-if paragraph is removed.
        let dashboard = try visitor.get("/dashboard")
        #expect(dashboard.status == 200)
        #expect(dashboard.text.contains("Current weight: 182"))
        #expect(dashboard.text.contains("Goal: Not set"))
        #expect(!dashboard.text.contains("reached your goal"))
        #expect(!dashboard.text.contains("v-if"))

        // With a goal above the weight, the v-if paragraph shows.
        let goal = try visitor.postJSON("/goal", #"{"goal_weight": 190}"#)
        #expect(goal.status == 200)
        let onTrack = try visitor.get("/dashboard")
        #expect(onTrack.text.contains("Goal: 190"))
        #expect(onTrack.text.contains("<p>You've reached your goal!</p>"))

        // Another visitor sees none of it.
        let other = server.client()
        _ = try other.postForm("/login", "email=bob%40example.com")
        let otherDashboard = try other.get("/dashboard")
        #expect(otherDashboard.text.contains("Current weight: Not logged yet"))
        server.stop()
    }

    @Test func quizAnswersMoveToTheCustomerOnLogin() throws {
        let server = try TestServer(sites: [TestServer.exampleSite])
        let visitor = server.client()
        let answered = try visitor.postForm("/quiz", "score=7&goal=lose")
        #expect(answered.status == 200)
        #expect(answered.text.contains("Thanks, your answers are saved."))
        #expect(answered.text.contains(#"<strong id="score">7</strong>"#))

        _ = try visitor.postForm("/login", "email=quiz%40example.com")
        let afterLogin = try visitor.get("/quiz")
        #expect(afterLogin.text.contains(#"<strong id="score">7</strong>"#))
        #expect(!afterLogin.text.contains("answering anonymously"))
        server.stop()
    }
}
