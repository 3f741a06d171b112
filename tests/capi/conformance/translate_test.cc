// Address translation and countries (lineTranslateAddress,
// lineGetTranslateCaps, lineSetCurrentLocation, lineSetTollList,
// lineGetCountry, tapiGetLocationInfo). The fixture points TAPIR_LOCATIONS
// at a scratch file, so the built-in Demo location is current and nothing
// touches $HOME.
#include <sys/stat.h>

#include <map>

#include "conformance.h"

namespace tapir::conformance {
namespace {

class TranslateTest : public CapiTest {
 protected:
  struct Out {
    LONG result = 0;
    std::string dialable, displayable;
    DWORD currentCountry = 0, destCountry = 0, results = 0;
  };
  Out translate(HLINEAPP h, const char* address, DWORD options = 0, DWORD device = 0) {
    Out o;
    Var<LINETRANSLATEOUTPUT> v;
    o.result = lineTranslateAddress(h, device, kV22, address, 0, options, v.get());
    if (o.result != 0) return o;
    o.dialable = VSTR(v, LINETRANSLATEOUTPUT, DialableString);
    o.displayable = VSTR(v, LINETRANSLATEOUTPUT, DisplayableString);
    o.currentCountry = v->dwCurrentCountry;
    o.destCountry = v->dwDestCountry;
    o.results = v->dwTranslateResults;
    return o;
  }
  static bool exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
  }
};

TEST_F(TranslateTest, TheDemoLocation) {
  App& a = app();
  Out local = translate(a.h, "+1 (425) 555-0100");
  ASSERT_EQ(rc(local.result), kOk);
  EXPECT_EQ(local.dialable, "95550100");
  EXPECT_EQ(local.currentCountry, 1u);
  EXPECT_EQ(local.destCountry, 1u);
  EXPECT_EQ(local.results,
            static_cast<DWORD>(LINETRANSLATERESULT_CANONICAL | LINETRANSLATERESULT_LOCAL |
                               LINETRANSLATERESULT_NOTINTOLLLIST));
  Out ld = translate(a.h, "+1 (206) 555-0100");
  ASSERT_EQ(rc(ld.result), kOk);
  EXPECT_EQ(ld.dialable, "912065550100");
  EXPECT_NE(ld.results & LINETRANSLATERESULT_LONGDISTANCE, 0u);
  Out intl = translate(a.h, "+44 20 7946 0000");
  ASSERT_EQ(rc(intl.result), kOk);
  EXPECT_EQ(intl.dialable, "9011442079460000");
  EXPECT_EQ(intl.destCountry, 44u);
  EXPECT_NE(intl.results & LINETRANSLATERESULT_INTERNATIONAL, 0u);
  // What the translation dials, the demo switch routes: 95550100 answers.
  const HLINE line = a.open(201);
  const HCALL call = makeCall(a, line, local.dialable.c_str());
  rings(2);
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(call).connected, "5550100");
}

TEST_F(TranslateTest, NonCanonicalAddressesPassThrough) {
  App& a = app();
  Out o = translate(a.h, "203");
  ASSERT_EQ(rc(o.result), kOk);
  EXPECT_EQ(o.dialable, "203");
  EXPECT_EQ(o.results & LINETRANSLATERESULT_CANONICAL, 0u);
}

TEST_F(TranslateTest, Errors) {
  App& a = app();
  Var<LINETRANSLATEOUTPUT> v;
  EXPECT_EQ(rc(lineTranslateAddress(a.h, 0, kV22, nullptr, 0, 0, v.get())),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineTranslateAddress(a.h, 0, kV22, "+1 425 555 0100", 0, 0, nullptr)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineTranslateAddress(a.h, 0, 0x00030000, "+1 425 555 0100", 0, 0, v.get())),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineTranslateAddress(a.h, 8, kV22, "+1 425 555 0100", 0, 0, v.get())),
            E(LINEERR_BADDEVICEID));
  EXPECT_EQ(rc(lineTranslateAddress(a.h + 1000, 0, kV22, "+1 425 555 0100", 0, 0, v.get())),
            E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineTranslateAddress(a.h, 0, kV22, "+", 0, 0, v.get())), E(LINEERR_INVALADDRESS));
  EXPECT_EQ(rc(lineTranslateAddress(a.h, 0, kV22, "+1 425 555 0100", 99,
                                    LINETRANSLATEOPTION_CARDOVERRIDE, v.get())),
            E(LINEERR_INVALCARD));
  EXPECT_EQ(rc(lineTranslateAddress(a.h, 0, kV22, "+1 425 555 0100", 0,
                                    LINETRANSLATEOPTION_FORCELOCAL | LINETRANSLATEOPTION_FORCELD,
                                    v.get())),
            E(LINEERR_INVALPARAM));
}

TEST_F(TranslateTest, WorksBeforeInitialization) {
  // "If a TAPI 2.x application has not yet called lineInitializeEx, it can
  // set this parameter to NULL."
  Out o = translate(0, "+44 20 7946 0000");
  ASSERT_EQ(rc(o.result), kOk);
  EXPECT_EQ(o.dialable, "9011442079460000");
  EXPECT_EQ(rc(tapirSimSettle()), E(LINEERR_UNINITIALIZED)) << "the service ran for the call only";
  Var<LINETRANSLATECAPS> caps;
  EXPECT_EQ(rc(lineGetTranslateCaps(0, kV22, caps.get())), kOk);
  // "TAPI 1.4 applications must still call lineInitialize first."
  Var<LINETRANSLATEOUTPUT> v;
  EXPECT_EQ(rc(lineTranslateAddress(0, 0, kV14, "+44 20 7946 0000", 0, 0, v.get())),
            E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineGetTranslateCaps(0, kV14, caps.get())), E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(tapirSimSettle()), E(LINEERR_UNINITIALIZED));
}

TEST_F(TranslateTest, TranslateCapsListTheLocations) {
  App& a = app();
  Var<LINETRANSLATECAPS> caps;
  ASSERT_EQ(rc(lineGetTranslateCaps(a.h, kV22, caps.get())), kOk);
  ASSERT_EQ(caps->dwNumLocations, 2u);
  EXPECT_EQ(caps->dwCurrentLocationID, 1u);
  ASSERT_EQ(caps->dwLocationListSize, 2 * sizeof(LINELOCATIONENTRY));
  LINELOCATIONENTRY demo;
  std::memcpy(&demo, caps.bytes() + caps->dwLocationListOffset, sizeof demo);
  EXPECT_EQ(demo.dwPermanentLocationID, 1u);
  EXPECT_EQ(demo.dwCountryCode, 1u);
  EXPECT_STREQ(reinterpret_cast<const char*>(caps.bytes() + demo.dwLocationNameOffset), "Demo");
  EXPECT_STREQ(reinterpret_cast<const char*>(caps.bytes() + demo.dwCityCodeOffset), "425");
  EXPECT_STREQ(reinterpret_cast<const char*>(caps.bytes() + demo.dwLocalAccessCodeOffset), "9");
  LINELOCATIONENTRY direct;
  std::memcpy(&direct, caps.bytes() + caps->dwLocationListOffset + sizeof(LINELOCATIONENTRY),
              sizeof direct);
  EXPECT_STREQ(reinterpret_cast<const char*>(caps.bytes() + direct.dwLocationNameOffset),
               "Direct line");
  // One card: card 0, direct dial (no calling card).
  ASSERT_EQ(caps->dwNumCards, 1u);
  LINECARDENTRY card;
  std::memcpy(&card, caps.bytes() + caps->dwCardListOffset, sizeof card);
  EXPECT_EQ(card.dwPermanentCardID, 0u);
  // A TAPI 1.3 application gets the 1.3 entries (without the access codes).
  Var<LINETRANSLATECAPS> old;
  ASSERT_EQ(rc(lineGetTranslateCaps(a.h, kV13, old.get())), kOk);
  EXPECT_EQ(old->dwLocationListSize, 2 * offsetof(LINELOCATIONENTRY, dwLocalAccessCodeSize));
  // Errors.
  EXPECT_EQ(rc(lineGetTranslateCaps(a.h, 0x00030000, caps.get())),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineGetTranslateCaps(a.h + 1000, kV22, caps.get())), E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineGetTranslateCaps(a.h, kV22, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(TranslateTest, SetCurrentLocationIsSavedAndAnnounced) {
  App& a = app();
  const HLINE line = a.open(201);
  ASSERT_EQ(rc(lineSetStatusMessages(line, LINEDEVSTATE_TRANSLATECHANGE, 0)), kOk);
  App& quiet = app();
  quiet.open(202);
  EXPECT_FALSE(exists(locationsPath()));
  ASSERT_EQ(rc(lineSetCurrentLocation(a.h, 2)), kOk);
  EXPECT_TRUE(exists(locationsPath())) << "saved to TAPIR_LOCATIONS";
  Out direct = translate(a.h, "+1 (425) 555-0100");
  ASSERT_EQ(rc(direct.result), kOk);
  EXPECT_EQ(direct.dialable, "5550100") << "no access code at the Direct line location";
  settle();
  auto ev = a.of(LINE_LINEDEVSTATE, line);
  ASSERT_EQ(ev.size(), 1u) << dump(a.msgs);
  EXPECT_EQ(ev[0].p1, static_cast<DWORD_PTR>(LINEDEVSTATE_TRANSLATECHANGE));
  EXPECT_TRUE(quiet.of(LINE_LINEDEVSTATE).empty());
  EXPECT_EQ(rc(lineSetCurrentLocation(a.h, 99)), E(LINEERR_INVALLOCATION));
  EXPECT_EQ(rc(lineSetCurrentLocation(a.h + 1000, 1)), E(LINEERR_INVALAPPHANDLE));
  // The next service reads the saved choice.
  ASSERT_EQ(rc(a.shutdown()), kOk);
  ASSERT_EQ(rc(quiet.shutdown()), kOk);
  App& b = app();
  Var<LINETRANSLATECAPS> caps;
  ASSERT_EQ(rc(lineGetTranslateCaps(b.h, kV22, caps.get())), kOk);
  EXPECT_EQ(caps->dwCurrentLocationID, 2u);
}

TEST_F(TranslateTest, TollList) {
  App& a = app();
  ASSERT_EQ(rc(lineSetTollList(a.h, 0, "+1 (425) 555-0199", LINETOLLLISTOPTION_ADD)), kOk);
  Out toll = translate(a.h, "+1 (425) 555-0100");
  ASSERT_EQ(rc(toll.result), kOk);
  EXPECT_EQ(toll.dialable, "914255550100");
  EXPECT_NE(toll.results & LINETRANSLATERESULT_INTOLLLIST, 0u);
  ASSERT_EQ(rc(lineSetTollList(a.h, 0, "+1 (425) 555-0100", LINETOLLLISTOPTION_REMOVE)), kOk);
  EXPECT_EQ(translate(a.h, "+1 (425) 555-0100").dialable, "95550100");
  EXPECT_EQ(rc(lineSetTollList(a.h, 0, "+1 (425) 555-0100", 3)), E(LINEERR_INVALPARAM));
  EXPECT_EQ(rc(lineSetTollList(a.h, 8, "+1 (425) 555-0100", LINETOLLLISTOPTION_ADD)),
            E(LINEERR_BADDEVICEID));
  EXPECT_EQ(rc(lineSetTollList(a.h, 0, nullptr, LINETOLLLISTOPTION_ADD)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineSetTollList(a.h, 0, "5550100", LINETOLLLISTOPTION_ADD)), E(LINEERR_INVALADDRESS))
      << "toll list entries are canonical addresses";
  EXPECT_EQ(rc(lineSetTollList(a.h + 1000, 0, "+1 (425) 555-0100", LINETOLLLISTOPTION_ADD)),
            E(LINEERR_INVALAPPHANDLE));
}

TEST_F(TranslateTest, GetCountry) {
  // Needs no initialization.
  Var<LINECOUNTRYLIST> one;
  ASSERT_EQ(rc(lineGetCountry(44, kV22, one.get())), kOk);
  ASSERT_EQ(one->dwNumCountries, 1u);
  LINECOUNTRYENTRY uk;
  std::memcpy(&uk, one.bytes() + one->dwCountryListOffset, sizeof uk);
  EXPECT_EQ(uk.dwCountryID, 44u);
  EXPECT_EQ(uk.dwCountryCode, 44u);
  ASSERT_GT(uk.dwCountryNameSize, 1u);
  EXPECT_STREQ(reinterpret_cast<const char*>(one.bytes() + uk.dwCountryNameOffset),
               "United Kingdom");
  EXPECT_GT(uk.dwInternationalRuleSize, 0u);
  // Country 0: every country, chained by dwNextCountryID (0 ends the list).
  Var<LINECOUNTRYLIST> all(1 << 20);
  ASSERT_EQ(rc(lineGetCountry(0, kV22, all.get())), kOk);
  ASSERT_EQ(all->dwNeededSize, all->dwUsedSize);
  const DWORD n = all->dwNumCountries;
  EXPECT_GT(n, 100u);
  ASSERT_EQ(all->dwCountryListSize, n * sizeof(LINECOUNTRYENTRY));
  std::map<DWORD, DWORD> next;
  for (DWORD i = 0; i < n; ++i) {
    LINECOUNTRYENTRY e;
    std::memcpy(&e, all.bytes() + all->dwCountryListOffset + i * sizeof e, sizeof e);
    next[e.dwCountryID] = e.dwNextCountryID;
  }
  ASSERT_TRUE(next.count(1));
  ASSERT_TRUE(next.count(44));
  DWORD walked = 0;
  for (DWORD id = 1; id != 0 && walked <= n; id = next[id])
    ++walked;
  EXPECT_EQ(walked, n) << "the chain from the first country reaches every country once";
  // Errors.
  EXPECT_EQ(rc(lineGetCountry(9999, kV22, one.get())), E(LINEERR_INVALCOUNTRYCODE));
  EXPECT_EQ(rc(lineGetCountry(44, 0x00030000, one.get())), E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineGetCountry(44, kV22, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(TranslateTest, LocationInfo) {
  char country[8];
  char city[8];
  ASSERT_EQ(rc(tapiGetLocationInfo(country, city)), kOk);
  EXPECT_STREQ(country, "1");
  EXPECT_STREQ(city, "425");
  EXPECT_EQ(rc(tapiGetLocationInfo(nullptr, city)), rc(TAPIERR_INVALPOINTER));
}

}  // namespace
}  // namespace tapir::conformance
