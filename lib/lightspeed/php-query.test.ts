import { describe, expect, it } from "vitest";
import { parsePhpQuery, phpBuildSortedQuery, phpUrlencode } from "./php-query";

describe("PHP-compatible query encoding", () => {
  it("encodes like urlencode: space as +, ~ * ' ( ) ! escaped, upper-case hex, UTF-8 bytes", () => {
    expect(phpUrlencode("a b")).toBe("a+b");
    expect(phpUrlencode("~*'()!")).toBe("%7E%2A%27%28%29%21");
    expect(phpUrlencode("-_.AZaz09")).toBe("-_.AZaz09");
    expect(phpUrlencode("Müller/ß")).toBe("M%C3%BCller%2F%C3%9F");
    expect(phpUrlencode("https://us.lightspeedapp.com/register.php?a=1&b=2")).toBe("https%3A%2F%2Fus.lightspeedapp.com%2Fregister.php%3Fa%3D1%26b%3D2");
  });

  it("parses like PHP (last duplicate wins, + is a space) and sorts all keys by byte order", () => {
    const q = parsePhpQuery("type=sale&accountID=1&alg=RS256&Zeta=z&type=refund&returnURL=https%3A%2F%2Fx%2F%3Fa%3D1&name=a+b%20c");
    expect(q.get("type")).toBe("refund");
    expect(q.get("name")).toBe("a b c");
    expect(phpBuildSortedQuery(q)).toBe("Zeta=z&accountID=1&alg=RS256&name=a+b+c&returnURL=https%3A%2F%2Fx%2F%3Fa%3D1&type=refund");
  });

  it("refuses broken percent-encoding instead of guessing", () => {
    expect(() => parsePhpQuery("a=%E0%A4%A")).toThrow();
  });
});
