/**
 * Passwords people choose most, from published leak frequency lists (Chinese and international),
 * restricted to those of 10 characters or more (shorter ones fail the length rule anyway).
 */
export const COMMON_PASSWORDS = new Set(
  `1234567890 0123456789 9876543210 1111111111 0000000000 1122334455 1234512345 1qaz2wsx3edc
  qwertyuiop qwerty1234 qwertyuiop1 asdfghjkl1 zxcvbnm123 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4t5
  password12 password123 password1234 passw0rd123 p@ssw0rd123 p@ssword123 iloveyou12 iloveyou123
  woaini1314 woaini5201314 5201314520 5201314000 1314520520 a123456789 aa123456789 abc1234567
  abcd123456 abcdefghij abc123456789 123456789a 123456789q 123456789abc 12345678910 11223344556
  admin12345 admin123456 administrator root123456 gongjian123 gongjian2026 dangjian123 zuzhibu123
  qazwsxedcr qazwsxedc123 1qazxsw23edc zaq12wsxcde 147258369a 1472583690 3141592653 159357159357
  12341234123 1234567890a 0987654321 987654321a 13579246810 a1b2c3d4e5 aaaaaaaaaa asdfasdfasdf
  sunshine123 football123 baseball123 welcome123 welcome1234 letmein123 monkey12345 dragon12345
  princess123 superman123 michael123 shadow1234 master12345 computer123 internet123 changeme123
  huawei12345 xiaomi12345 wangyi12345 tencent12345 baidu123456 taobao123456 china123456 zhongguo123
  beijing2008 shanghai123 7758521abc 7758258abc 1234qwerasdf 1q2w3e4r1q2w3e4r qweasdzxc123`
    .split(/\s+/)
    .filter(Boolean),
);
