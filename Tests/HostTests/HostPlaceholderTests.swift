import Testing
@testable import SluiceHost
