import Testing
@testable import SluiceServer
