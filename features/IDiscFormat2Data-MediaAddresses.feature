@method:IDiscFormat2Data.MediaAddresses
Feature: IDiscFormat2Data media addresses and capacity
  What an application reads to build a multisession image or to check that it fits:
  NextWritableAddress (where the next write starts), StartAddressOfPreviousSession and
  LastWrittenAddressOfPreviousSession (the last closed session; -1 when there is none),
  TotalSectorsOnMedia and FreeSectorsOnMedia. Each is an async method that reads the media anew.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"

  Scenario: S_OK — a blank CD-R: the next write starts at 0; there is no previous session
    Then getNextWritableAddress is 0
    And getStartAddressOfPreviousSession is -1
    And getLastWrittenAddressOfPreviousSession is -1
    And the free sectors equal the total sectors

  Scenario: S_OK — after one session of 500 sectors: its addresses, and the next write after it
    Given the disc already holds a data session of 500 sectors
    Then getStartAddressOfPreviousSession is 0
    And the last written address of the previous session is 499 or one of the 2 run-out blocks after it
    And the next writable address is after the first session

  Scenario: S_OK — the free sectors shrink by what a session takes (its data and its lead-in/lead-out)
    Given I remember the free sectors
    And the disc already holds a data session of 500 sectors
    Then the free sectors shrank by more than 500

  Scenario: S_OK — a blank DVD+RW: everything is free, writing starts at 0
    Given a drive with a blank DVD+RW
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    Then getNextWritableAddress is 0
    And getTotalSectorsOnMedia is 2295104
    And the free sectors equal the total sectors

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I call getNextWritableAddress
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds the device exclusively
    Given another client holds exclusive access as "Other burner"
    When I call getFreeSectorsOnMedia
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  @fault
  Scenario: E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF) — a malformed track information reply
    Given the drive will report "invalid response" on the next READ TRACK INFORMATION command
    When I call getNextWritableAddress
    Then it fails with E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF)
