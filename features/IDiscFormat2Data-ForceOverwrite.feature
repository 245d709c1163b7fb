@method:IDiscFormat2Data.ForceOverwrite
Feature: IDiscFormat2Data::put_ForceOverwrite
  Whether Write must overwrite overwritable media (DVD+RW, BD-RE) that holds data. The default is
  false: such media is refused with E_IMAPI_DF2DATA_MEDIA_NOT_BLANK.

  Background:
    Given a drive with a blank DVD+RW
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    And the disc already holds a data session of 200 sectors

  Scenario: S_OK — the default is false: media holding data is not overwritten
    Then forceOverwrite is false
    When I call write with a data image of 100 sectors
    Then it fails with E_IMAPI_DF2DATA_MEDIA_NOT_BLANK (0xC0AA0405)

  Scenario: S_OK — true: the media is overwritten from sector 0
    When I set forceOverwrite to true
    Then it succeeds
    When I call write with a data image of 100 sectors
    Then it succeeds
    And the data image reads back from LBA 0

  Scenario: S_OK — a BD-RE holding data is overwritten with forceOverwrite
    Given a drive with a blank BD-RE
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    And the disc already holds a data session of 200 sectors
    And I set forceOverwrite to true
    When I call write with a data image of 100 sectors
    Then it succeeds
    And the data image reads back from LBA 0
