@method:IDiscFormat2Data.ForceMediaToBeClosed
Feature: IDiscFormat2Data::put_ForceMediaToBeClosed
  Whether the disc is closed (no further sessions) when the next write ends. The default is false: the
  disc stays open for later sessions. A closed rewritable disc can be erased. The value cannot change
  while a write is in progress.
  Not driven here: the remark that a write leaving 2% or less of the disc free closes it regardless
  (it takes writing some 700 MB to a CD; the SDK does not apply that rule).

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"

  Scenario: S_OK — the default is false: the disc stays appendable
    Then forceMediaToBeClosed is false
    When I call write with a data image of 100 sectors
    Then it succeeds
    And the disc is appendable

  Scenario: S_OK — true closes the disc: a later write is refused
    When I set forceMediaToBeClosed to true
    Then it succeeds
    When I call write with a data image of 100 sectors
    Then it succeeds
    And the disc is finalized
    When I call write with a data image of 10 sectors
    Then it fails with E_IMAPI_DF2DATA_INVALID_MEDIA_STATE (0xC0AA0402)

  Scenario: S_OK — true on a DVD+R finalizes it
    Given a drive with a blank DVD+R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    And I set forceMediaToBeClosed to true
    When I call write with a data image of 100 sectors
    Then it succeeds
    And the disc is finalized

  Scenario: a closed CD-RW can be erased and written again
    Given a drive with a blank CD-RW
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    And I set forceMediaToBeClosed to true
    And I call write with a data image of 100 sectors
    When I erase the media
    And I set forceMediaToBeClosed to false
    And I call write with a data image of 100 sectors
    Then it succeeds
    And the disc is appendable

  Scenario: E_IMAPI_DF2DATA_WRITE_IN_PROGRESS (0xC0AA0400) — set from the Update handler during a write
    When I write a data image of 2000 sectors and set forceMediaToBeClosed to true from the Update handler
    Then forceMediaToBeClosed failed with E_IMAPI_DF2DATA_WRITE_IN_PROGRESS (0xC0AA0400)
    And it succeeds
    And forceMediaToBeClosed is false
    And the disc is appendable
