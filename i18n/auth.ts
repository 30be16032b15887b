import { defineMessages } from "./define.ts";

/** Messages of login and registration. */
export default defineMessages({
  zh: {
    "auth.login.title": "登录",
    "auth.login.submit": "登录",
    "auth.login.noAccount": "还没有账号？",
    "auth.register.title": "注册成为会员",
    "auth.register.submit": "注册",
    "auth.register.hasAccount": "已有账号？",
    "auth.register.referredBy": "推荐人：{name}",
    "auth.email": "邮箱",
    "auth.password": "密码",
    "auth.passwordHint": "至少 8 位",
    "auth.name": "昵称",
    "auth.referralCode": "推荐码（选填）",
    "auth.error": "请检查下面标出的内容。",
  },
  en: {
    "auth.login.title": "Log in",
    "auth.login.submit": "Log in",
    "auth.login.noAccount": "No account yet?",
    "auth.register.title": "Become a member",
    "auth.register.submit": "Sign up",
    "auth.register.hasAccount": "Already a member?",
    "auth.register.referredBy": "Referred by {name}",
    "auth.email": "Email",
    "auth.password": "Password",
    "auth.passwordHint": "At least 8 characters",
    "auth.name": "Name",
    "auth.referralCode": "Referral code (optional)",
    "auth.error": "Please check the fields marked below.",
  },
});
