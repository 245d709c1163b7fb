@method:IDiscFormat2RawCD.LastPossibleStartOfLeadout
Feature: IDiscFormat2RawCD::get_LastPossibleStartOfLeadout
  The last sector where the lead-out may start (ATIP): on 80-minute media 79:59:74, LBA 359 849. An
  image whose program area runs past it does not fit (E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE in writeMedia).
  Valid only while the media is prepared.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"

  Scenario: S_OK — 79:59:74 on an 80-minute CD-R
    Given the media is prepared
    When I read lastPossibleStartOfLeadout
    Then it succeeds with 359849

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602) — before prepareMedia
    When I read lastPossibleStartOfLeadout
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602) — after releaseMedia
    Given the media is prepared
    And I release the media
    When I read lastPossibleStartOfLeadout
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)

  @not-reachable
  Scenario: E_POINTER (0x80004003) — cannot happen in this API: the value is returned, there is no out pointer
    Then the row E_POINTER (0x80004003) is documented as not reachable from the TypeScript API
