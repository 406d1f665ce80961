export const LoginSchema = Schema.object({
  email: Schema.string().required().email().max(200).label('email'),
  name: Schema.string().max(100).default(''),
});
