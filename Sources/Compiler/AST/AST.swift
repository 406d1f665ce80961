// The abstract syntax tree produced by `Parser` and consumed by the code generator.
//
// Nodes are immutable final classes (so a parsed program can be shared between threads) with an
// enum `kind`. Tree depth is bounded by the parser (`Parser.maxNestingDepth`), which keeps the
// recursive walks of the code generator and ARC's recursive release of a tree bounded too.
//
// String values are UTF-16 code units (`[UInt16]`), not Swift `String`, because JavaScript
// strings may hold lone surrogates ("\uD800") that a Swift `String` cannot represent.

/// A position in a source file: 1-based line and column (column counts UTF-16 code units),
/// and the 0-based UTF-16 offset from the start of the source.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int32
    public var column: Int32
    public var offset: Int32

    public init(line: Int32, column: Int32, offset: Int32) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static let zero = SourcePosition(line: 1, column: 1, offset: 0)
    public var description: String { "\(line):\(column)" }
}

/// A JavaScript string value as UTF-16 code units.
public typealias UTF16String = [UInt16]

// MARK: - Program

public final class ProgramNode: Sendable {
    public let body: [Statement]
    /// `import` declarations, in source order (also present in `body` as `.importDeclaration`).
    public let imports: [ImportDeclaration]
    /// `export` declarations, in source order (also present in `body`).
    public let exports: [ExportDeclaration]
    /// True when the script starts with a "use strict" directive.
    public let isStrict: Bool
    public let sourceName: String

    public init(body: [Statement], imports: [ImportDeclaration], exports: [ExportDeclaration],
                isStrict: Bool, sourceName: String) {
        self.body = body
        self.imports = imports
        self.exports = exports
        self.isStrict = isStrict
        self.sourceName = sourceName
    }
}

public struct ImportDeclaration: Sendable {
    public struct Specifier: Sendable {
        /// The exported name in the module (`"default"` for a default import, `"*"` for a namespace import).
        public let imported: String
        /// The local binding name.
        public let local: String
        public let position: SourcePosition
        public init(imported: String, local: String, position: SourcePosition) {
            self.imported = imported
            self.local = local
            self.position = position
        }
    }
    public let module: String
    public let specifiers: [Specifier]
    public let position: SourcePosition
    public init(module: String, specifiers: [Specifier], position: SourcePosition) {
        self.module = module
        self.specifiers = specifiers
        self.position = position
    }
}

public struct ExportDeclaration: Sendable {
    public enum Kind: Sendable {
        /// `export <declaration>`: the declaration stays in the body; `names` lists what it binds.
        case declaration(names: [String])
        /// `export { a as b, c }`: pairs of (local, exported).
        case specifiers([(local: String, exported: String)])
        /// `export default <expression>`; the expression's value is bound to the hidden local
        /// `*default*` by a `.variableDeclaration` the parser puts in the body.
        case defaultExpression
    }
    public let kind: Kind
    public let position: SourcePosition
    public init(kind: Kind, position: SourcePosition) {
        self.kind = kind
        self.position = position
    }
}

// MARK: - Statements

public enum VariableKind: Sendable { case `var`, `let`, `const` }

public struct VariableDeclarator: Sendable {
    public let target: Pattern
    public let initializer: Expression?
    public let position: SourcePosition
    public init(target: Pattern, initializer: Expression?, position: SourcePosition) {
        self.target = target
        self.initializer = initializer
        self.position = position
    }
}

public struct SwitchCase: Sendable {
    /// nil for `default:`.
    public let test: Expression?
    public let body: [Statement]
    public let position: SourcePosition
    public init(test: Expression?, body: [Statement], position: SourcePosition) {
        self.test = test
        self.body = body
        self.position = position
    }
}

/// The left side of `for (x in/of y)`.
public enum ForBinding: Sendable {
    /// `for (var/let/const <pattern> ...)`
    case declaration(VariableKind, Pattern)
    /// `for (<assignment target> ...)`: an identifier, member expression, or destructuring pattern.
    case target(Pattern)
}

/// The first clause of `for (init; test; update)`.
public enum ForInit: Sendable {
    case declaration(VariableKind, [VariableDeclarator])
    case expression(Expression)
}

public final class Statement: Sendable {
    public let position: SourcePosition
    public let kind: Kind

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }

    public enum Kind: Sendable {
        case expression(Expression)
        case variableDeclaration(VariableKind, [VariableDeclarator])
        case functionDeclaration(FunctionNode)
        case classDeclaration(ClassNode)
        case block([Statement])
        case empty
        case `if`(test: Expression, consequent: Statement, alternate: Statement?)
        case `for`(initializer: ForInit?, test: Expression?, update: Expression?, body: Statement)
        case forIn(left: ForBinding, right: Expression, body: Statement)
        case forOf(left: ForBinding, right: Expression, body: Statement)
        case `while`(test: Expression, body: Statement)
        case doWhile(body: Statement, test: Expression)
        case `return`(Expression?)
        case `break`(label: String?)
        case `continue`(label: String?)
        case `throw`(Expression)
        /// `catchParameter` is nil for `catch {` (optional catch binding) and when there is no catch clause.
        case `try`(block: [Statement], catchParameter: Pattern?, catchBody: [Statement]?, finally: [Statement]?)
        case `switch`(discriminant: Expression, cases: [SwitchCase])
        case labeled(label: String, body: Statement)
        case debugger
        /// Parsed and exposed to the host; generates no code (the host links modules).
        case importDeclaration(ImportDeclaration)
        /// `export` with specifiers only; `export <decl>` is emitted as the plain declaration.
        case exportDeclaration(ExportDeclaration)
    }
}

// MARK: - Expressions

public enum UnaryOperator: String, Sendable {
    case minus = "-", plus = "+", not = "!", bitNot = "~", typeof, void, delete
}

public enum UpdateOperator: String, Sendable { case increment = "++", decrement = "--" }

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", exponent = "**"
    case shiftLeft = "<<", shiftRight = ">>", unsignedShiftRight = ">>>"
    case bitAnd = "&", bitOr = "|", bitXor = "^"
    case equal = "==", notEqual = "!=", strictEqual = "===", strictNotEqual = "!=="
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case `in`, instanceof
}

public enum LogicalOperator: String, Sendable { case and = "&&", or = "||", nullish = "??" }

public enum AssignmentOperator: String, Sendable {
    case assign = "="
    case add = "+=", subtract = "-=", multiply = "*=", divide = "/=", remainder = "%=", exponent = "**="
    case shiftLeft = "<<=", shiftRight = ">>=", unsignedShiftRight = ">>>="
    case bitAnd = "&=", bitOr = "|=", bitXor = "^="
    case and = "&&=", or = "||=", nullish = "??="

    /// The binary operator a compound assignment applies, or nil for `=` and the logical forms.
    public var binaryOperator: BinaryOperator? {
        switch self {
        case .assign, .and, .or, .nullish: return nil
        case .add: return .add
        case .subtract: return .subtract
        case .multiply: return .multiply
        case .divide: return .divide
        case .remainder: return .remainder
        case .exponent: return .exponent
        case .shiftLeft: return .shiftLeft
        case .shiftRight: return .shiftRight
        case .unsignedShiftRight: return .unsignedShiftRight
        case .bitAnd: return .bitAnd
        case .bitOr: return .bitOr
        case .bitXor: return .bitXor
        }
    }
}

public enum ArrayElement: Sendable {
    case expression(Expression)
    case spread(Expression)
    /// An elision: `[1, , 3]`.
    case hole
}

public enum Argument: Sendable {
    case expression(Expression)
    case spread(Expression)
}

/// A property name in an object literal, class body or object pattern.
public enum PropertyName: Sendable {
    /// `a: 1`, `get a() {}`: an identifier name (reserved words allowed).
    case identifier(String)
    /// `"a b": 1`
    case string(UTF16String)
    /// `1.5: x` (the key is ToString of the number).
    case number(Double)
    /// `[expr]: x`
    case computed(Expression)
}

public struct ObjectProperty: Sendable {
    public enum Kind: Sendable {
        /// `key: value`, shorthand `key`, or method `key() {}` (value is a `.function`).
        case initialize
        case getter
        case setter
        /// `...expr`; `key` is unused (`.identifier("")`).
        case spread
    }
    public let key: PropertyName
    public let value: Expression
    public let kind: Kind
    public let isMethod: Bool
    public let isShorthand: Bool
    public let position: SourcePosition
    public init(key: PropertyName, value: Expression, kind: Kind, isMethod: Bool, isShorthand: Bool,
                position: SourcePosition) {
        self.key = key
        self.value = value
        self.kind = kind
        self.isMethod = isMethod
        self.isShorthand = isShorthand
        self.position = position
    }
}

public struct TemplateElement: Sendable {
    /// nil when the raw text holds an invalid escape (allowed only in tagged templates).
    public let cooked: UTF16String?
    public let raw: UTF16String
    public init(cooked: UTF16String?, raw: UTF16String) {
        self.cooked = cooked
        self.raw = raw
    }
}

public final class Expression: Sendable {
    public let position: SourcePosition
    public let kind: Kind

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }

    public enum Kind: Sendable {
        case number(Double)
        case string(UTF16String)
        /// `quasis.count == expressions.count + 1`.
        case template(quasis: [TemplateElement], expressions: [Expression])
        case taggedTemplate(tag: Expression, quasis: [TemplateElement], expressions: [Expression])
        case regExp(pattern: UTF16String, flags: String)
        case boolean(Bool)
        case null
        case identifier(String)
        case this
        /// `super.name` / `super[expr]` inside methods.
        case superMember(property: Expression)
        case superIndex(Expression)
        /// `super(args)` inside a derived-class constructor.
        case superCall([Argument])
        /// `new.target`
        case newTarget
        case array([ArrayElement])
        case object([ObjectProperty])
        /// A function expression, or a method body inside an object literal or class.
        case function(FunctionNode)
        case arrowFunction(FunctionNode)
        case `class`(ClassNode)
        case unary(UnaryOperator, Expression)
        case update(UpdateOperator, isPrefix: Bool, Expression)
        case binary(BinaryOperator, Expression, Expression)
        case logical(LogicalOperator, Expression, Expression)
        /// `target` is a `Pattern` (identifier, member, or destructuring pattern for `=`).
        case assignment(AssignmentOperator, target: Pattern, value: Expression)
        case conditional(test: Expression, consequent: Expression, alternate: Expression)
        /// `isOptional` is true for `f?.()`.
        case call(callee: Expression, arguments: [Argument], isOptional: Bool)
        case new(callee: Expression, arguments: [Argument])
        /// `object.name`; `isOptional` for `object?.name`.
        case member(object: Expression, name: String, isOptional: Bool)
        /// `object[index]`; `isOptional` for `object?.[index]`.
        case index(object: Expression, index: Expression, isOptional: Bool)
        /// The whole of an optional chain `a?.b.c()`: an optional link that meets null/undefined
        /// short-circuits to `undefined` up to this node.
        case optionalChain(Expression)
        case sequence([Expression])
        /// `await x` evaluates `x` (host functions are synchronous).
        case await(Expression)
        /// A parenthesised expression; kept so `(a) = 1` vs `(a.b) = 1` and `(a, b) => …` can be told apart
        /// by later passes when they care. The code generator treats it as its operand.
        case parenthesized(Expression)
    }
}

// MARK: - Patterns (binding and assignment targets)

public struct ObjectPatternProperty: Sendable {
    public let key: PropertyName
    /// The target, possibly `.withDefault`.
    public let value: Pattern
    public let isShorthand: Bool
    public init(key: PropertyName, value: Pattern, isShorthand: Bool) {
        self.key = key
        self.value = value
        self.isShorthand = isShorthand
    }
}

public indirect enum Pattern: Sendable {
    case identifier(String, SourcePosition)
    /// An assignment target that is a member expression (`a.b`, `a[i]`); never in a binding.
    case expression(Expression)
    case object([ObjectPatternProperty], rest: Pattern?, SourcePosition)
    /// `nil` elements are elisions.
    case array([Pattern?], rest: Pattern?, SourcePosition)
    /// `target = defaultValue`
    case withDefault(Pattern, Expression)

    public var position: SourcePosition {
        switch self {
        case .identifier(_, let p), .object(_, _, let p), .array(_, _, let p): return p
        case .expression(let e): return e.position
        case .withDefault(let p, _): return p.position
        }
    }
}

// MARK: - Functions and classes

public enum FunctionKind: Sendable {
    case normal
    case arrow
    case method
    case getter
    case setter
    /// The constructor of a class without `extends`.
    case classConstructor
    /// The constructor of a class with `extends`.
    case derivedConstructor
}

public final class FunctionNode: Sendable {
    /// The function's own name (`function f() {}`), or the inferred name for anonymous functions
    /// assigned to a binding or property (`let f = () => {}` gives "f"); "" when none.
    public let name: String
    /// True when `name` is the function's own binding (a named function expression binds its name inside).
    public let hasOwnNameBinding: Bool
    public let kind: FunctionKind
    /// Parameters, possibly `.withDefault`.
    public let parameters: [Pattern]
    public let rest: Pattern?
    public let body: [Statement]
    /// For concise arrow bodies `x => x + 1`: the expression (and `body` is empty).
    public let expressionBody: Expression?
    public let isStrict: Bool
    /// True when every parameter is a plain identifier without default and there is no rest.
    public let hasSimpleParameters: Bool
    /// Source range of the whole function text, for `Function.prototype.toString`.
    public let sourceStart: Int32
    public let sourceEnd: Int32
    public let position: SourcePosition

    public init(name: String, hasOwnNameBinding: Bool, kind: FunctionKind, parameters: [Pattern], rest: Pattern?,
                body: [Statement], expressionBody: Expression?, isStrict: Bool, hasSimpleParameters: Bool,
                sourceStart: Int32, sourceEnd: Int32, position: SourcePosition) {
        self.name = name
        self.hasOwnNameBinding = hasOwnNameBinding
        self.kind = kind
        self.parameters = parameters
        self.rest = rest
        self.body = body
        self.expressionBody = expressionBody
        self.isStrict = isStrict
        self.hasSimpleParameters = hasSimpleParameters
        self.sourceStart = sourceStart
        self.sourceEnd = sourceEnd
        self.position = position
    }

    /// The number of parameters before the first one with a default or the rest parameter
    /// (the function's `length`).
    public var expectedArgumentCount: Int {
        var n = 0
        for p in parameters {
            if case .withDefault = p { break }
            n += 1
        }
        return n
    }
}

public struct ClassMember: Sendable {
    public enum Kind: Sendable { case method, getter, setter }
    public let key: PropertyName
    public let isStatic: Bool
    public let kind: Kind
    public let function: FunctionNode
    public let position: SourcePosition
    public init(key: PropertyName, isStatic: Bool, kind: Kind, function: FunctionNode, position: SourcePosition) {
        self.key = key
        self.isStatic = isStatic
        self.kind = kind
        self.function = function
        self.position = position
    }
}

public final class ClassNode: Sendable {
    /// "" for an anonymous class expression (unless a name was inferred).
    public let name: String
    /// True when `name` came from the source (`class A {}`), so the class body binds it.
    public let hasOwnNameBinding: Bool
    public let superClass: Expression?
    /// The explicit constructor, or nil (the code generator synthesises the default one).
    public let constructor: FunctionNode?
    public let members: [ClassMember]
    public let sourceStart: Int32
    public let sourceEnd: Int32
    public let position: SourcePosition

    public init(name: String, hasOwnNameBinding: Bool, superClass: Expression?, constructor: FunctionNode?,
                members: [ClassMember], sourceStart: Int32, sourceEnd: Int32, position: SourcePosition) {
        self.name = name
        self.hasOwnNameBinding = hasOwnNameBinding
        self.superClass = superClass
        self.constructor = constructor
        self.members = members
        self.sourceStart = sourceStart
        self.sourceEnd = sourceEnd
        self.position = position
    }
}
