// Reading a property of undefined is a TypeError.
const config = { db: { host: 'localhost' } };
console.log(config.db.host);
console.log(config.cache.ttl);
