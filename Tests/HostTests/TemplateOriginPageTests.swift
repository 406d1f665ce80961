import SluiceVM
import Testing

@testable import SluiceHost

/// The pages of building-custom-workflows.md (the origin page), extracted and rendered as a site
/// author expects, and the compile-once / render-many contract.
@Suite struct TemplateOriginPageTests {
    /// A realistic render context, as the host builds it after the script ran.
    static func context(variables: String) -> ScriptValue {
        TemplateFixture.json(#"""
            {
              "var": \#(variables),
              "query": {"ref": "email"},
              "request": {"method": "GET", "path": "/dashboard", "is_mobile": false, "is_tablet": false,
                          "route_params": null, "headers": {"host": "fitness.localhost"}},
              "customer": {"id": 42, "email": "ann@example.com", "first_name": "Ann"},
              "is_customer": true,
              "brand": {"name": "Fitness Demo"}
            }
            """#)
    }

    static func renderPage(_ html: String, variables: String) throws -> String {
        let page = BackendBlocks.extract(html: html)
        let template = try Template(page: page, name: "pages/page.html")
        return template.render(context: context(variables: variables))
    }

    @Test func dashboardOnTrack() throws {
        let html = try Self.renderPage(Self.dashboardPage,
            variables: #"{"support_email": "help@example.com", "current_weight": 182, "goal_weight": 190, "on_track": true}"#)
        #expect(html == """


            <h2>Current weight: 182</h2>
            <h2>Goal: 190</h2>
            <p>You've reached your goal!</p>

            """)
    }

    @Test func dashboardNotYetLogged() throws {
        // weight && goal && ... is null when nothing was logged; setVariable stores null.
        let html = try Self.renderPage(Self.dashboardPage,
            variables: #"{"current_weight": "Not logged yet", "goal_weight": "Not set", "on_track": null}"#)
        #expect(html.contains("<h2>Current weight: Not logged yet</h2>\n<h2>Goal: Not set</h2>\n"))
        #expect(!html.contains("reached your goal"))
        #expect(!html.contains("v-if"))
    }

    @Test func dashboardAboveGoal() throws {
        let html = try Self.renderPage(Self.dashboardPage,
            variables: #"{"current_weight": 201.5, "goal_weight": 190, "on_track": false}"#)
        #expect(html.contains("<h2>Current weight: 201.5</h2>"))
        #expect(!html.contains("<p"))
    }

    @Test func checkinPageRendersTitleAndLeavesTheBrowserScriptAlone() throws {
        let html = try Self.renderPage(Self.checkinPage, variables: #"{"page_title": "Weight Check-in"}"#)
        #expect(html.contains("<h1>Weight Check-in</h1>"))
        #expect(html.contains(#"<input type="number" id="weight" placeholder="Current weight" step="0.1" required />"#))
        let browserScript = String(Self.checkinPage[TemplateFixture.firstIndex(of: "<script>\n", in: Self.checkinPage)!...])
        #expect(html.hasSuffix(browserScript))
        #expect(!html.contains("scope=\"backend\"") && !html.contains("setCrmFields"))
    }

    @Test func validatorsModulePageHasNoVisibleHTML() throws {
        let page = BackendBlocks.extract(html: Self.validatorsModule)
        #expect(page.script.contains("export function requireCustomer()"))
        let html = try Self.renderPage(Self.validatorsModule, variables: "{}")
        #expect(html.allSatisfy { $0.isWhitespace })
    }

    @Test func overviewGreeting() throws {
        let html = try Self.renderPage("""
            <script scope="backend">
              if (!is_customer) { redirect('/login'); }
              setVariable('hello', 'Hi ' + customer.name);
            </script>
            <h1>{{ var.hello }}</h1>
            """, variables: #"{"hello": "Hi Ann <3"}"#)
        #expect(html == "\n<h1>Hi Ann &lt;3</h1>")
    }

    @Test func compiledTemplateIsReusedWithoutReparsing() throws {
        let counter = ParseCounter()
        try ParseCounter.$current.withValue(counter) {
            let page = BackendBlocks.extract(html: Self.dashboardPage)
            let template = try Template(page: page, name: "pages/dashboard.html")
            #expect(counter.templates == 1)
            let expressionsAfterCompile = counter.expressions
            #expect(expressionsAfterCompile == 3)
            for i in 0..<200 {
                let out = template.render(context: Self.context(
                    variables: #"{"current_weight": \#(i), "goal_weight": 100, "on_track": \#(i <= 100)}"#))
                #expect(out.contains("Current weight: \(i)</h2>"))
                #expect(out.contains("reached your goal") == (i <= 100))
            }
            #expect(counter.templates == 1)
            #expect(counter.expressions == expressionsAfterCompile)
        }
    }

    @Test func oneTemplateRendersConcurrently() async throws {
        let template = try Template(source: "@foreach(x in xs){{ x }},@endforeach {{ name | upper }}", name: "t.html")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<8 {
                group.addTask {
                    let context = TemplateFixture.json(#"{"xs": [\#(i), \#(i + 1)], "name": "n\#(i)"}"#)
                    for _ in 0..<50 {
                        #expect(template.render(context: context) == "\(i),\(i + 1), N\(i)")
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    // MARK: The pages, verbatim from building-custom-workflows.md

    static let validatorsModule = #"""
        <script scope="backend">
          export var WeightCheckinSchema = Schema.object({
            weight:  Schema.number().required().min(50).max(500),
            unit:    Schema.string().valid('lbs', 'kg').default('lbs'),
            notes:   Schema.string().max(500).default(''),
          });

          export function requireCustomer() {
            if (!is_customer) {
              response.status(401);
              response.json({ ok: false, error: 'not authenticated' });
            }
          }
        </script>

        """#

    static let checkinPage = #"""
        <script scope="backend">
          import { WeightCheckinSchema, requireCustomer } from "validators";

          if (request.method === 'POST') {
            requireCustomer();

            var result = WeightCheckinSchema.validate(request.body);

            if (!result.valid) {
              response.status(400);
              response.json({ ok: false, errors: result.errors });
            }

            var data = result.value;

            var entitySlug = 'pattern-tracker'; // your CRM entity slug from settings
            var fields = [
              { fieldKey: 'current_weight', value: data.weight },
              { fieldKey: 'weight_unit', value: data.unit },
              { fieldKey: 'last_checkin', value: new Date().toISOString() }
            ];

            if (data.notes) {
              fields.push({ fieldKey: 'checkin_notes', value: data.notes });
            }

            setCrmFields({ slug: entitySlug, fields: fields });

            response.json({ ok: true, data: data });
          }

          setVariable('page_title', 'Weight Check-in');
        </script>

        <div>
          <h1>{{ var.page_title }}</h1>
          <form id="checkin-form">
            <input type="number" id="weight" placeholder="Current weight" step="0.1" required />
            <select id="unit">
              <option value="lbs">lbs</option>
              <option value="kg">kg</option>
            </select>
            <textarea id="notes" placeholder="Notes (optional)"></textarea>
            <button type="submit">Log Weight</button>
          </form>
          <div id="result"></div>
        </div>

        <script>
        document.getElementById('checkin-form').addEventListener('submit', async function(e) {
          e.preventDefault();

          var res = await fetch('/weight/checkin', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              weight: parseFloat(document.getElementById('weight').value),
              unit: document.getElementById('unit').value,
              notes: document.getElementById('notes').value
            })
          });

          var data = await res.json();
          document.getElementById('result').textContent = data.ok
            ? 'Logged: ' + data.data.weight + ' ' + data.data.unit
            : 'Error: ' + (data.errors || [data.error]).join(', ');
        });
        </script>

        """#

    static let dashboardPage = #"""
        <script scope="backend">
          import { requireCustomer } from "validators";
          requireCustomer();

          var entitySlug = 'pattern-tracker';
          var fields = getCrmFields({ slug: entitySlug, fieldKeys: ['current_weight', 'goal_weight'] });
          var weight = fields.current_weight;
          var goal   = fields.goal_weight;
          setVariable('current_weight', weight || 'Not logged yet');
          setVariable('goal_weight', goal || 'Not set');
          setVariable('on_track', weight && goal && Number(weight) <= Number(goal));
        </script>

        <h2>Current weight: {{ var.current_weight }}</h2>
        <h2>Goal: {{ var.goal_weight }}</h2>
        <p v-if="var.on_track">You've reached your goal!</p>

        """#
}
