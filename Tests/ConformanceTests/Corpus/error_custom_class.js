// A custom Error subclass thrown and not caught.
class AppError extends Error {
  constructor(msg, code) { super(msg); this.name = 'AppError'; this.code = code; }
}
try {
  throw new AppError('first', 1);
} catch (e) {
  console.log(`caught ${e.name} ${e.code}`);
}
throw new AppError('failed to load', 2);
