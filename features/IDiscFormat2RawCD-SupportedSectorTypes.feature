@method:IDiscFormat2RawCD.SupportedSectorTypes
Feature: IDiscFormat2RawCD::get_SupportedSectorTypes
  The sector types (IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE) the drive can write, from its CD Mastering
  feature (002Eh): Raw gives PQ only, Raw with R-W adds cooked and raw P-W (getSupportedSectorTypes).
  The emulated burner has both bits, so all three, unless its control plane switches R-W off.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"

  Scenario: S_OK — PQ only, cooked and raw P-W
    When I call getSupportedSectorTypes
    Then it succeeds with [1, 2, 3]

  @fault
  Scenario: S_OK — PQ only on a recorder without R-W subcode
    Given the recorder's CD Mastering feature does not list R-W subcode
    When I call getSupportedSectorTypes
    Then it succeeds with [1]

  Scenario: S_OK — every supported type is accepted as the requested one
    Given the media is prepared
    When I call getSupportedSectorTypes
    Then every listed value is accepted as requestedSectorType

  @not-reachable
  Scenario: E_POINTER (0x80004003) — cannot happen in this API: the list is returned, there is no out pointer
    Then the row E_POINTER (0x80004003) is documented as not reachable from the TypeScript API
